import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';

import { fleetTreeQuery, meQuery } from '../../api/queries.ts';
import { LiveBadge } from '../../components/live-badge.tsx';
import { BulkSyncButton } from './bulk-sync-button.tsx';
import { DeliveriesFilterBar } from './deliveries-filter-bar.tsx';
import { DeliveriesList } from './deliveries-list.tsx';
import { hasFilters, listQueryOf, type DeliveriesSearch } from './delivery-search.ts';
import { useDeliveryEvents } from './use-delivery-events.ts';

const route = getRouteApi('/app/deliveries');

/**
 * Every Fleet GitRepo and Argo CD Application the person may see: what is rendered, how it
 * stands on their clusters, and what the engine is doing. Every filter lives in the URL (a
 * view is shared by link; back and forward work); a `delivery` event refetches.
 */
export function DeliveriesPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  // Each filter change is a history entry, so back and forward step through them.
  const go = (next: DeliveriesSearch) => void navigate({ search: next });
  const choices = useQuery({
    ...fleetTreeQuery(),
    select: (tree) => ({
      tenants: tree.tenants.map((t) => t.id),
      envs: [...new Set(tree.tenants.flatMap((t) => t.environments.map((e) => e.name)))].sort(),
      clusters: tree.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters.map((c) => c.name))).sort(),
    }),
  });
  const mayOperate = useQuery({ ...meQuery(), select: (me) => me.scope.grants.some((g) => g.verbs.includes('operate')) });
  const live = useDeliveryEvents();
  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="page-title" className="text-xl font-semibold">
          Deliveries
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">Fleet GitRepos and Argo CD Applications on the clusters you may see</p>
        <LiveBadge state={live.state} />
        {mayOperate.data && <BulkSyncButton initialLabels={search.labels} />}
      </div>
      <DeliveriesFilterBar search={search} choices={choices.data ?? { tenants: [], envs: [], clusters: [] }} onChange={go} />
      <DeliveriesList
        query={listQueryOf(search)}
        filtered={hasFilters(search)}
        onTone={(tone) => go({ ...search, tone })}
        onGroup={(group) => go({ ...search, group: group === 'none' ? undefined : group })}
      />
    </section>
  );
}
