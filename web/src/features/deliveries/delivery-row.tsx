import { Link } from '@tanstack/react-router';

import type { DeliverySummary } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { paths } from '../../config/paths.ts';
import { Commit } from './commit.tsx';
import { DeliveryStatusLabel } from './delivery-status.tsx';
import { ENGINE_LABEL } from './engine-label.ts';
import { byStatusText } from './group-rows.ts';
import { JobState } from './job-state.tsx';

const CELL = 'py-2 pr-3 align-top';

/** One GitRepo or Application in the list; the row itself takes focus (roving tabindex) and Enter opens it. */
export function DeliveryRowView({
  index,
  delivery: d,
  focused,
  onFocus,
}: {
  /** Its place in the table (for keyboard moves). */
  index: number;
  delivery: DeliverySummary;
  focused: boolean;
  onFocus: () => void;
}) {
  const states = byStatusText(d.byStatus);
  return (
    <tr
      tabIndex={focused ? 0 : -1}
      onFocus={onFocus}
      data-testid="delivery-row"
      data-delivery={d.id}
      data-index={index}
      className="border-t border-slate-100 hover:bg-slate-50 focus:bg-teal-50 focus:outline-2 focus:outline-teal-700 dark:border-slate-800 dark:hover:bg-slate-900 dark:focus:bg-slate-800"
    >
      <th scope="row" className={`${CELL} text-left font-normal`}>
        <Link
          to={paths.delivery}
          params={{ id: d.id }}
          tabIndex={-1}
          className="font-medium text-teal-800 hover:underline dark:text-teal-300"
        >
          {d.name}
        </Link>
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {[ENGINE_LABEL[d.engine], d.tenant && `tenant ${d.tenant}`, `namespace ${d.namespace}`].filter(Boolean).join(' · ')}
        </span>
      </th>
      <td className={`${CELL} max-w-64`}>
        <span className="block truncate" title={d.repo}>
          {d.repo}
        </span>
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {d.branch ? `branch ${d.branch}` : d.revision ? `pinned to ${d.revision}` : 'default branch'}
          {d.branch && d.revision ? ` · revision ${d.revision}` : ''}
        </span>
      </td>
      <td className={CELL}>
        <Commit commit={d.renderedCommit} />
        {states && <span className="block text-xs text-slate-600 dark:text-slate-400">{states}</span>}
      </td>
      <td className={CELL}>
        <DeliveryStatusLabel status={d.status} />
        {d.paused && <span className="block text-xs text-violet-800 dark:text-violet-300">paused</span>}
      </td>
      <td className={`${CELL} tabular-nums`}>
        {d.ready}/{d.desired}
      </td>
      <td className={CELL}>{d.lastSyncAt ? <RelativeTime iso={d.lastSyncAt} /> : '—'}</td>
      <td className={`${CELL} text-xs`}>
        <JobState delivery={d} />
      </td>
    </tr>
  );
}
