import { facetsOf, type Cluster, type FleetTree, type PartialError, type Tenant } from '@fleetdeck/shared';

// Environments in promotion order; unknown ones follow alphabetically.
const ENV_ORDER = ['dev', 'staging', 'production'];

function envRank(name: string): number {
  const i = ENV_ORDER.indexOf(name);
  return i === -1 ? ENV_ORDER.length : i;
}

/**
 * Groups clusters into tenants → environments → clusters, in a stable order
 * (tenants by id, environments in promotion order, clusters by name). One pass to
 * group, then sorts: O(n log n) for n clusters.
 */
export function buildFleetTree(
  clusters: readonly Cluster[],
  syncedAt: Date,
  errors: readonly PartialError[],
  visibleCount = clusters.length,
): FleetTree {
  const byTenant = new Map<string, Map<string, Cluster[]>>();
  for (const cluster of clusters) {
    let envs = byTenant.get(cluster.tenant);
    if (!envs) byTenant.set(cluster.tenant, (envs = new Map<string, Cluster[]>()));
    let list = envs.get(cluster.environment);
    if (!list) envs.set(cluster.environment, (list = []));
    list.push(cluster);
  }
  const tenants: Tenant[] = [...byTenant.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, envs]) => ({
      id,
      environments: [...envs.entries()]
        .sort(([a], [b]) => envRank(a) - envRank(b) || a.localeCompare(b))
        .map(([name, list]) => ({ name, clusters: list.sort((x, y) => x.name.localeCompare(y.name)) })),
    }));
  return {
    tenants,
    clusterCount: clusters.length,
    visibleCount,
    facets: facetsOf(clusters),
    syncedAt: syncedAt.toISOString(),
    errors: [...errors],
  };
}
