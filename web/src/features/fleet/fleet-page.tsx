import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { Search } from 'lucide-react';
import { useMemo } from 'react';

import type { Environment, Tenant } from '@fleetdeck/shared';

import { fleetTreeQuery } from '../../api/queries.ts';
import { ClusterStateBadge, SyncBadge } from '../../components/cluster-state.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { filterTree } from './filter.ts';

const route = getRouteApi('/app/fleet');

export function FleetPage() {
  const { q = '' } = route.useSearch();
  const navigate = route.useNavigate();
  const fleet = useQuery(fleetTreeQuery());
  const tenants = useMemo(() => (fleet.data ? filterTree(fleet.data, q) : []), [fleet.data, q]);

  return (
    <section aria-labelledby="page-title">
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <h1 id="page-title" className="text-xl font-semibold">
          Fleet
        </h1>
        {fleet.data && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {fleet.data.clusterCount} clusters in {fleet.data.tenants.length} tenants · inventory synced{' '}
            <RelativeTime iso={fleet.data.syncedAt} />
          </p>
        )}
        <label className="ml-auto flex items-center gap-2 rounded border border-slate-300 px-2 py-1 dark:border-slate-700">
          <Search aria-hidden className="size-4 text-slate-500" />
          <span className="sr-only">Filter clusters</span>
          <input
            type="search"
            value={q}
            placeholder="Filter by name or label value"
            onChange={(e) => void navigate({ search: (prev) => ({ ...prev, q: e.target.value || undefined }), replace: true })}
            className="w-64 bg-transparent text-sm outline-none"
          />
        </label>
      </div>
      {fleet.isPending && <Loading label="Loading the fleet…" />}
      {fleet.isError && <ErrorPanel title="The fleet could not be loaded" error={fleet.error} onRetry={() => void fleet.refetch()} />}
      {fleet.data && fleet.data.clusterCount === 0 && (
        <Empty title="No clusters to show">None of your roles covers a cluster in this fleet yet.</Empty>
      )}
      {fleet.data && fleet.data.clusterCount > 0 && tenants.length === 0 && (
        <Empty title={`No cluster matches "${q}"`}>Clear the filter to see every cluster you may see.</Empty>
      )}
      <div className="space-y-8">
        {tenants.map((tenant) => (
          <TenantSection key={tenant.id} tenant={tenant} />
        ))}
      </div>
    </section>
  );
}

function TenantSection({ tenant }: { tenant: Tenant }) {
  const clusters = tenant.environments.flatMap((e) => e.clusters);
  const unhealthy = clusters.filter((c) => c.state !== 'Ready').length;
  return (
    <section aria-labelledby={`tenant-${tenant.id}`} data-testid={`tenant-${tenant.id}`}>
      <h2 id={`tenant-${tenant.id}`} className="mb-2 flex items-baseline gap-3 text-lg font-semibold">
        {tenant.id}
        <span className="text-sm font-normal text-slate-600 dark:text-slate-300">
          {clusters.length} clusters{unhealthy > 0 && ` · ${unhealthy} need attention`}
        </span>
      </h2>
      <div className="space-y-4">
        {tenant.environments.map((env) => (
          <EnvironmentTable key={env.name} tenant={tenant.id} env={env} />
        ))}
      </div>
    </section>
  );
}

function EnvironmentTable({ tenant, env }: { tenant: string; env: Environment }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <caption className="bg-slate-50 px-3 py-2 text-left font-medium dark:bg-slate-900">
          {env.name} <span className="font-normal text-slate-600 dark:text-slate-300">({env.clusters.length})</span>
        </caption>
        <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-3 py-2">
              Cluster
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2">
              GitOps
            </th>
            <th scope="col" className="px-3 py-2">
              Region
            </th>
            <th scope="col" className="px-3 py-2">
              Tier
            </th>
            <th scope="col" className="px-3 py-2">
              Nodes
            </th>
            <th scope="col" className="px-3 py-2">
              Version
            </th>
            <th scope="col" className="px-3 py-2">
              Heartbeat
            </th>
          </tr>
        </thead>
        <tbody>
          {env.clusters.map((c) => (
            <tr
              key={c.name}
              data-testid="cluster-row"
              data-cluster={c.name}
              data-tenant={tenant}
              className="border-t border-slate-100 dark:border-slate-800"
            >
              <th scope="row" className="px-3 py-2 font-medium">
                {c.name}
              </th>
              <td className="px-3 py-2">
                <ClusterStateBadge state={c.state} />
              </td>
              <td className="px-3 py-2">
                <SyncBadge state={c.sync.state} drifted={c.sync.driftedResources} />
              </td>
              <td className="px-3 py-2">{c.labels.region ?? '—'}</td>
              <td className="px-3 py-2">{c.labels.tier ?? '—'}</td>
              <td className="px-3 py-2 tabular-nums">{c.nodeCount ?? '—'}</td>
              <td className="px-3 py-2">{c.kubernetesVersion ?? '—'}</td>
              <td className="px-3 py-2">{c.lastHeartbeat ? <RelativeTime iso={c.lastHeartbeat} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
