import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { AlertTriangle } from 'lucide-react';
import { useMemo } from 'react';

import type { DeliveryGroupBy, DeliveryTone } from '@fleetdeck/shared';

import { deliveriesQuery } from '../../api/queries.ts';
import type { DeliveryListFilters } from '../../api/query-keys.ts';
import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { DeliveriesTable } from './deliveries-table.tsx';
import { groupRows } from './group-rows.ts';
import { ToneChips } from './tone-chips.tsx';

const pill = (on: boolean) =>
  `rounded border px-2 py-0.5 text-xs ${on ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`;
const GROUP_LABEL: Record<DeliveryGroupBy, string> = { none: 'None', tenant: 'Tenant', repo: 'Repo', cluster: 'Cluster' };
const GROUPS: readonly DeliveryGroupBy[] = ['none', 'tenant', 'repo', 'cluster'];

/** The list itself: tone chips with counts, grouping, a page at a time, partial errors said plainly. */
export function DeliveriesList({
  query,
  filtered,
  onTone,
  onGroup,
}: {
  query: DeliveryListFilters;
  filtered: boolean;
  onTone: (tone: DeliveryTone | undefined) => void;
  onGroup: (group: DeliveryGroupBy) => void;
}) {
  const list = useInfiniteQuery({ ...deliveriesQuery(query), placeholderData: keepPreviousData });
  const group = query.group ?? 'none';
  const rows = useMemo(() => groupRows(list.data?.pages.flatMap((p) => p.items) ?? [], group), [list.data, group]);
  const first = list.data?.pages[0];
  const shown = rows.filter((r) => r.kind === 'item').length;
  // Every page reports the same sources' errors: name each once.
  const partial = [...new Map((list.data?.pages.flatMap((p) => p.errors) ?? []).map((e) => [`${e.source}|${e.reason}`, e])).values()];
  return (
    <section aria-labelledby="deliveries-list" className="space-y-3">
      <h2 id="deliveries-list" className="sr-only">
        GitRepos and Applications
      </h2>
      <div className="flex flex-wrap items-center gap-3">
        {first && <ToneChips byTone={first.byTone} value={query.tone} onChange={onTone} />}
        {first && (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="deliveries-total">
            {shown.toLocaleString('en')} of {first.total.toLocaleString('en')} shown
          </p>
        )}
        <div role="group" aria-label="Group by" className="ml-auto flex items-center gap-1 text-xs">
          <span aria-hidden>Group by</span>
          {GROUPS.map((g) => (
            <button key={g} type="button" aria-pressed={g === group} onClick={() => onGroup(g)} className={pill(g === group)}>
              {GROUP_LABEL[g]}
            </button>
          ))}
        </div>
      </div>
      {partial.length > 0 && (
        <p
          role="status"
          className="flex items-center gap-2 rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <AlertTriangle aria-hidden className="size-4 shrink-0" />
          Partly unavailable: {partial.map((e) => `${e.source}${e.cluster ? ` (${e.cluster})` : ''}: ${e.reason}`).join('; ')}
        </p>
      )}
      {list.isPending && <Loading label="Loading deliveries…" />}
      {list.isError && !list.data && (
        <ErrorPanel title="Deliveries could not be loaded" error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.data && shown === 0 && (
        <Empty title={filtered ? 'No GitRepo or Application matches these filters' : 'No deliveries to show'}>
          {filtered ? 'Change or clear the filters to see more.' : 'No GitRepo or Application reaches a cluster you may see.'}
        </Empty>
      )}
      {shown > 0 && <DeliveriesTable rows={rows} />}
      {list.isFetchNextPageError && (
        <ErrorPanel title="More deliveries could not be loaded" error={list.error} onRetry={() => void list.fetchNextPage()} />
      )}
      {list.hasNextPage && (
        <button
          type="button"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
          className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          {list.isFetchingNextPage ? 'Loading more…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
