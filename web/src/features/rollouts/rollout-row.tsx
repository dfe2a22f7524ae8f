import { Link } from '@tanstack/react-router';

import type { RolloutSummary } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { RolloutBadges } from './rollout-badges.tsx';
import { ProgressBar } from './rollout-progress.tsx';
import { ROLLOUT_STATE } from './rollout-states.ts';
import { SOURCE_LABEL } from './source-label.ts';
import { StateLabel } from './state-label.tsx';
import { paths } from '../../config/paths.ts';

/** One rollout in the list; the row itself takes focus (roving tabindex) and Enter opens it. */
export function RolloutRow({ rollout: r, focused, onFocus }: { rollout: RolloutSummary; focused: boolean; onFocus: () => void }) {
  return (
    <tr
      tabIndex={focused ? 0 : -1}
      onFocus={onFocus}
      data-testid="rollout-row"
      data-rollout={r.id}
      className="border-t border-slate-100 align-top hover:bg-slate-50 focus:bg-teal-50 focus:outline-2 focus:outline-teal-700 dark:border-slate-800 dark:hover:bg-slate-900 dark:focus:bg-slate-800"
    >
      <th scope="row" className="py-2 pr-3 text-left font-normal">
        <Link
          to={paths.rollout}
          params={{ id: r.id }}
          tabIndex={-1}
          className="font-medium text-teal-800 hover:underline dark:text-teal-300"
        >
          {r.name}
        </Link>
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {[r.namespace && `namespace ${r.namespace}`, r.tenant && `tenant ${r.tenant}`].filter(Boolean).join(' · ') || 'cluster-scoped'}
        </span>
      </th>
      <td className="py-2 pr-3">{SOURCE_LABEL[r.source]}</td>
      <td className="py-2 pr-3">
        <span className="block">{r.target}</span>
        {r.revision && <span className="block font-mono text-xs text-slate-600 dark:text-slate-400">{r.revision}</span>}
      </td>
      <td className="py-2 pr-3">
        <StateLabel look={ROLLOUT_STATE[r.state]} />
        <RolloutBadges rollout={r} />
      </td>
      <td className="py-2 pr-3">{r.currentWave ?? '—'}</td>
      <td className="py-2 pr-3">
        <ProgressBar progress={r.progress} label={`Progress of ${r.name}`} />
      </td>
      <td className="py-2">{r.createdAt ? <RelativeTime iso={r.createdAt} /> : '—'}</td>
    </tr>
  );
}
