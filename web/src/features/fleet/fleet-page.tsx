import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { AlertTriangle } from 'lucide-react';
import { useMemo } from 'react';

import { fleetHealthQuery, fleetRolloutsQuery, fleetTreeQuery } from '../../api/queries.ts';
import { LiveBadge } from '../../components/live-badge.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { FacetBar } from './facet-bar.tsx';
import { FleetTable } from './fleet-table.tsx';
import { selectRows } from './select.ts';
import { SelectorBox } from './selector-box.tsx';
import { useFleetEvents } from './use-fleet-events.ts';
import { useSelectorUrl } from './use-selector-url.ts';

const route = getRouteApi('/app/fleet');

/** The fleet: every cluster the person may see, grouped by tenant and environment, filtered by a selector in the URL. */
export function FleetPage() {
  const { state } = route.useSearch();
  const navigate = route.useNavigate();
  const fleet = useQuery(fleetTreeQuery());
  const health = useQuery(fleetHealthQuery());
  const rollouts = useQuery(fleetRolloutsQuery());
  const live = useFleetEvents();
  const selector = useSelectorUrl();
  const { parsed } = selector;
  const selection = useMemo(
    () => (fleet.data && parsed.ok ? selectRows(fleet.data, parsed.selector, state) : undefined),
    [fleet.data, parsed, state],
  );
  const hubError = fleet.data?.errors.find((e) => e.source === 'hub');

  return (
    <section aria-labelledby="page-title">
      <div className="mb-3 flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="page-title" className="text-xl font-semibold">
          Fleet
        </h1>
        {fleet.data && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {selection ? `${selection.clusters.length} of ` : ''}
            {fleet.data.visibleCount} clusters · inventory synced <RelativeTime iso={fleet.data.syncedAt} />
          </p>
        )}
        <LiveBadge state={live.state} />
      </div>

      <SelectorBox draft={selector.draft} parsed={parsed} onChange={selector.setDraft} />

      {selection && (
        <FacetBar
          facets={selection.facets}
          state={state}
          onPick={selector.addTerm}
          onState={(s) => void navigate({ search: (prev) => ({ ...prev, state: s }), replace: true })}
        />
      )}

      {hubError && (
        <div
          role="status"
          className="mb-3 flex items-center gap-2 rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <AlertTriangle aria-hidden className="size-4" />
          The hub is not answering ({hubError.reason}); showing the last known inventory.
        </div>
      )}
      {fleet.isPending && <Loading label="Loading the fleet…" />}
      {fleet.isError && <ErrorPanel title="The fleet could not be loaded" error={fleet.error} onRetry={() => void fleet.refetch()} />}
      {fleet.data && fleet.data.visibleCount === 0 && (
        <Empty title="No clusters to show">None of your roles covers a cluster in this fleet yet.</Empty>
      )}
      {selection && fleet.data && fleet.data.visibleCount > 0 && selection.rows.length === 0 && (
        <Empty title="No cluster matches this selection">Change or clear the selector to see more clusters.</Empty>
      )}
      {(health.isError || (health.data && health.data.errors.length > 0)) && (
        <p role="status" className="mb-2 flex items-center gap-2 text-sm text-amber-800 dark:text-amber-300">
          <AlertTriangle aria-hidden className="size-4" />
          Health metrics are partly unavailable:{' '}
          {health.isError ? health.error.message : health.data.errors.map((e) => e.reason).join('; ')}
        </p>
      )}
      {selection && selection.rows.length > 0 && <FleetTable rows={selection.rows} health={health.data} rollouts={rollouts.data} />}
    </section>
  );
}
