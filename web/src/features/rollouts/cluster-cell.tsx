import { memo } from 'react';

import type { ClusterRolloutStatus } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { OpenLogsLink } from '../logs/open-logs-link.tsx';
import { CLUSTER_STATE, TONE_CELL } from './rollout-states.ts';

/**
 * One cluster in its wave: coloured and labelled by state with an icon, its name never cut; why it failed, in full, across the wave.
 * Memoised: a refetch keeps unchanged clusters' objects (the query's structural sharing), so a
 * change repaints one cell, not the thousand of a fleet-wide wave (bench: hub change → cell).
 */
export const ClusterCell = memo(function ClusterCell({ cluster: c }: { cluster: ClusterRolloutStatus }) {
  const { icon: Icon, text, tone } = CLUSTER_STATE[c.state];
  return (
    <li
      data-testid="cluster-cell"
      data-cluster={c.cluster}
      data-state={c.state}
      className={`rounded border border-l-4 px-2 py-1 text-xs ${c.message ? 'col-span-2' : ''} ${TONE_CELL[tone]}`}
    >
      <span className="flex items-start gap-1">
        <Icon aria-hidden className="mt-px size-3.5 shrink-0" />
        <span className="font-medium [overflow-wrap:anywhere]">{c.cluster}</span>
      </span>
      <span className="block font-semibold" data-testid="cluster-state">
        {text}
        {c.finishedAt ? (
          <span className="font-normal">
            {' '}
            · <RelativeTime iso={c.finishedAt} />
          </span>
        ) : (
          c.startedAt && (
            <span className="font-normal">
              {' '}
              · since <RelativeTime iso={c.startedAt} />
            </span>
          )
        )}
      </span>
      {c.message && <span className="mt-0.5 block break-words">{c.message}</span>}
      {/* A failed cluster's logs around the time it failed. */}
      {c.state === 'Failed' && <OpenLogsLink cluster={c.cluster} at={c.finishedAt ?? c.startedAt} className="mt-0.5 text-xs" />}
    </li>
  );
});
