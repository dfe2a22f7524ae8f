import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { AlertTriangle } from 'lucide-react';
import { useMemo } from 'react';

import { fleetTreeQuery, rolloutsQuery } from '../../api/queries.ts';
import { LiveBadge } from '../../components/live-badge.tsx';
import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { flattenPages } from './apply-rollout-events.ts';
import { listFilters } from './rollout-filters.ts';
import { RolloutsFilterBar } from './rollouts-filter-bar.tsx';
import { RolloutsTable } from './rollouts-table.tsx';
import { useRolloutEvents } from './use-rollout-events.ts';

const route = getRouteApi('/app/rollouts');

/** Every rollout the person may see (partly seen ones redacted), filtered by the URL, kept live. */
export function RolloutsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const filters = listFilters(search);
  const list = useInfiniteQuery(rolloutsQuery(filters));
  const tenants = useQuery({ ...fleetTreeQuery(), select: (tree) => tree.tenants.map((t) => t.id) });
  const live = useRolloutEvents();
  const rows = useMemo(() => (list.data ? flattenPages(list.data) : undefined), [list.data]);
  const partial = list.data?.pages.flatMap((p) => p.errors) ?? [];
  const filtered = Object.keys(filters).length > 0;

  return (
    <section aria-labelledby="page-title">
      <div className="mb-3 flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="page-title" className="text-xl font-semibold">
          Rollouts
        </h1>
        {rows && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {rows.length} {rows.length === 1 ? 'rollout' : 'rollouts'}
            {list.hasNextPage ? ' so far' : ''}
          </p>
        )}
        <LiveBadge state={live.state} />
      </div>

      <RolloutsFilterBar search={search} tenants={tenants.data ?? []} onChange={(next) => void navigate({ search: next, replace: true })} />

      {partial.length > 0 && (
        <p
          role="status"
          className="mb-3 flex items-center gap-2 rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <AlertTriangle aria-hidden className="size-4 shrink-0" />
          Some rollouts could not be read: {partial.map((e) => `${e.source}: ${e.reason}`).join('; ')}
        </p>
      )}
      {list.isPending && <Loading label="Loading rollouts…" />}
      {list.isError && !list.data && (
        <ErrorPanel title="Rollouts could not be loaded" error={list.error} onRetry={() => void list.refetch()} />
      )}
      {rows && rows.length === 0 && (
        <Empty title={filtered ? 'No rollout matches these filters' : 'No rollouts to show'}>
          {filtered ? 'Change or clear the filters to see more.' : 'No rollout touches a cluster you may see.'}
        </Empty>
      )}
      {rows && rows.length > 0 && <RolloutsTable rows={rows} />}
      {list.isFetchNextPageError && (
        <ErrorPanel title="More rollouts could not be loaded" error={list.error} onRetry={() => void list.fetchNextPage()} />
      )}
      {list.hasNextPage && (
        <button
          type="button"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
          className="mt-3 rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          {list.isFetchingNextPage ? 'Loading more…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
