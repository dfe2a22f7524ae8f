import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useMemo, useState } from 'react';

import type { Violation, ViolationFilters } from '@fleetdeck/shared';

import { violationsQuery } from '../../api/queries.ts';
import type { ViolationListFilters } from '../../api/query-keys.ts';
import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { groupRows } from './group-rows.ts';
import { csvHref, ViolationGroup } from './violation-search.ts';
import { ViolationDetail } from './violation-detail.tsx';
import { ViolationsTable } from './violations-table.tsx';

const pill = (on: boolean) =>
  `rounded border px-2 py-0.5 text-xs ${on ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`;
const GROUP_LABEL: Record<ViolationGroup, string> = { policy: 'Policy', cluster: 'Cluster', namespace: 'Namespace' };

/** The violations themselves: grouped, a page at a time, with a resource's details beside them and the CSV of the same filters. */
export function ListSection({
  query,
  filters,
  group,
  onGroup,
  filtered,
}: {
  query: ViolationListFilters;
  filters: ViolationFilters;
  group: ViolationGroup;
  onGroup: (group: ViolationGroup) => void;
  filtered: boolean;
}) {
  const list = useInfiniteQuery({ ...violationsQuery(query), placeholderData: keepPreviousData });
  const [selectedId, setSelectedId] = useState<string>();
  const items = useMemo(() => {
    // A row that moved between pages while paging (live changes) is shown once.
    const seen = new Map<string, Violation>();
    for (const page of list.data?.pages ?? []) for (const v of page.items) if (!seen.has(v.id)) seen.set(v.id, v);
    return [...seen.values()];
  }, [list.data]);
  const rows = useMemo(() => groupRows(items, group), [items, group]);
  const first = list.data?.pages[0];
  const partial = list.data?.pages.flatMap((p) => p.errors) ?? [];
  const selected = items.find((v) => v.id === selectedId);
  // Focus goes back to the resource the details were opened from.
  const close = (id: string) => {
    setSelectedId(undefined);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-violation-id="${CSS.escape(id)}"]`)?.focus());
  };

  return (
    <section aria-labelledby="violations-list" className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="violations-list" className="font-semibold">
          Violations
        </h2>
        {first && (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="violations-total">
            {items.length.toLocaleString('en')} of {first.total.toLocaleString('en')} shown
          </p>
        )}
        <div role="group" aria-label="Group by" className="flex items-center gap-1 text-xs">
          <span aria-hidden>Group by</span>
          {ViolationGroup.options.map((g) => (
            <button key={g} type="button" aria-pressed={g === group} onClick={() => onGroup(g)} className={pill(g === group)}>
              {GROUP_LABEL[g]}
            </button>
          ))}
        </div>
        <a
          href={csvHref(filters)}
          download
          className="ml-auto inline-flex items-center gap-1 rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          <Download aria-hidden className="size-4" />
          Export CSV
        </a>
      </div>
      {partial.length > 0 && (
        <p className="text-sm text-amber-800 dark:text-amber-300">
          Partly unavailable: {partial.map((e) => `${e.source}: ${e.reason}`).join('; ')}
        </p>
      )}
      {list.isPending && <Loading label="Loading violations…" />}
      {list.isError && !list.data && (
        <ErrorPanel title="Violations could not be loaded" error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.data && items.length === 0 && (
        <Empty title={filtered ? 'No violation matches these filters' : 'No violations to show'}>
          {filtered
            ? 'Change or clear the filters to see more.'
            : 'No policy finds anything you may see, or no policy is installed (see coverage).'}
        </Empty>
      )}
      {items.length > 0 && (
        <div className={selected ? 'grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]' : ''}>
          <ViolationsTable rows={rows} selected={selected?.id} onOpen={(v) => setSelectedId(v.id)} />
          {selected && <ViolationDetail violation={selected} onClose={() => close(selected.id)} />}
        </div>
      )}
      {list.isFetchNextPageError && (
        <ErrorPanel title="More violations could not be loaded" error={list.error} onRetry={() => void list.fetchNextPage()} />
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
