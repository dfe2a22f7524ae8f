import { memo } from 'react';

import type { Wave } from '@fleetdeck/shared';
import { EyeOff } from 'lucide-react';

import { RelativeTime } from '../../components/relative-time.tsx';
import { ClusterCell } from './cluster-cell.tsx';
import { GateCard } from './gate-card.tsx';
import { HeldNote } from './held-note.tsx';
import { ProgressBar } from './rollout-progress.tsx';
import { WAVE_STATE } from './rollout-states.ts';
import { hiddenText } from './source-label.ts';
import { StateLabel } from './state-label.tsx';
import { groupByRegion } from './wave-groups.ts';

/**
 * One wave: its gates before, its limits under their own source's names (KubeFleet's
 * max concurrent is not Fleet's max unavailable), progress and times, its clusters by
 * region, then its gates after.
 */
export const WaveColumn = memo(function WaveColumn({ wave, current }: { wave: Wave; current: boolean }) {
  const headingId = `wave-${wave.index}`;
  const before = wave.gates.filter((g) => g.position === 'before');
  const after = wave.gates.filter((g) => g.position === 'after');
  return (
    <li
      aria-labelledby={headingId}
      aria-current={current ? 'step' : undefined}
      data-testid="wave"
      data-wave={wave.name}
      className={`flex w-80 shrink-0 flex-col gap-2 rounded-lg border p-3 ${current ? 'border-teal-700 ring-2 ring-teal-700 dark:border-teal-400 dark:ring-teal-400' : 'border-slate-200 dark:border-slate-800'}`}
    >
      {before.map((g, i) => (
        <GateCard key={`before-${i}`} gate={g} wave={wave.name} />
      ))}
      <div>
        <h3 id={headingId} className="font-semibold">
          <span className="text-xs font-normal text-slate-600 dark:text-slate-400">Wave {wave.index + 1} </span>
          {wave.name}
          {current && <span className="ml-1 text-xs font-normal text-teal-800 dark:text-teal-300">(current)</span>}
        </h3>
        <StateLabel look={WAVE_STATE[wave.state]} className="text-sm" />
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-2 text-xs">
        {wave.maxConcurrency !== undefined && (
          <>
            <dt className="text-slate-600 dark:text-slate-400">max concurrent</dt>
            <dd>{wave.maxConcurrency}</dd>
          </>
        )}
        {wave.maxUnavailable !== undefined && (
          <>
            <dt className="text-slate-600 dark:text-slate-400">max unavailable (not ready)</dt>
            <dd>
              {wave.maxUnavailable}
              {wave.unavailable !== undefined && ` · ${wave.unavailable} not ready now`}
            </dd>
          </>
        )}
        {wave.startedAt && (
          <>
            <dt className="text-slate-600 dark:text-slate-400">started</dt>
            <dd>
              <RelativeTime iso={wave.startedAt} />
            </dd>
          </>
        )}
        {wave.finishedAt && (
          <>
            <dt className="text-slate-600 dark:text-slate-400">finished</dt>
            <dd>
              <RelativeTime iso={wave.finishedAt} />
            </dd>
          </>
        )}
      </dl>
      <ProgressBar progress={wave.progress} label={`Progress of wave ${wave.name}`} />
      {wave.held && <HeldNote held={wave.held} />}
      {wave.message && <p className="text-xs text-slate-700 dark:text-slate-300">{wave.message}</p>}
      {groupByRegion(wave.clusters).map(({ region, clusters }) => (
        <div key={region} role="group" aria-label={`${wave.name}: ${region}`} data-testid="region" data-region={region}>
          <h4 className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">{region}</h4>
          <ul className="mt-1 grid grid-cols-2 gap-1">
            {clusters.map((c) => (
              <ClusterCell key={c.cluster} cluster={c} />
            ))}
          </ul>
        </div>
      ))}
      {wave.hiddenClusters > 0 && (
        <p className="inline-flex items-center gap-1 text-xs text-slate-700 dark:text-slate-300">
          <EyeOff aria-hidden className="size-3.5" />+{hiddenText(wave.hiddenClusters)}
        </p>
      )}
      {wave.clusters.length === 0 && wave.hiddenClusters === 0 && <p className="text-xs">No clusters in this wave.</p>}
      {after.map((g, i) => (
        <GateCard key={`after-${i}`} gate={g} wave={wave.name} />
      ))}
    </li>
  );
});
