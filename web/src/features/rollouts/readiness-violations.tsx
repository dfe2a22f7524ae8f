import type { WaveReadiness } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';

/** Violations on the wave's clusters now that were not there when it started. */
export function IntroducedViolations({ introduced }: { introduced: WaveReadiness['introducedViolations'] }) {
  const { total, items } = introduced;
  if (total === 0) return <p className="text-sm">No policy violations introduced by this wave.</p>;
  return (
    <div>
      <h3 className="text-sm font-semibold">
        {total} {total === 1 ? 'violation' : 'violations'} introduced by this wave
      </h3>
      <ul className="mt-1 space-y-1 text-sm" aria-label="Violations introduced by this wave" data-testid="introduced-violations">
        {items.map((v) => (
          <li key={v.id}>
            <span className="font-medium">{v.policy}</span> <span className="text-xs uppercase">({v.severity})</span> on{' '}
            {v.namespace ? `${v.cluster}/${v.namespace}` : v.cluster}: {v.message}
            {v.firstSeenAt && (
              <span className="text-xs text-slate-600 dark:text-slate-400">
                {' '}
                · first seen <RelativeTime iso={v.firstSeenAt} />
              </span>
            )}
          </li>
        ))}
      </ul>
      {total > items.length && <p className="text-xs">and {total - items.length} more</p>}
    </div>
  );
}
