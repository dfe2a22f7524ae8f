import type { Cluster } from './cluster.ts';
import type { Tenant } from './fleet.ts';

/** Environments in promotion order; any other environment follows them, alphabetically. */
export const ENVIRONMENT_ORDER: readonly string[] = ['dev', 'staging', 'production'];

function envRank(name: string): number {
  const i = ENVIRONMENT_ORDER.indexOf(name);
  return i === -1 ? ENVIRONMENT_ORDER.length : i;
}

/** Orders environment names: promotion order first (dev, staging, production), then alphabetical. */
export function compareEnvironments(a: string, b: string): number {
  return envRank(a) - envRank(b) || a.localeCompare(b);
}

/**
 * Groups clusters into tenants → environments → clusters, in one stable order (tenants
 * by id, environments in promotion order, clusters by name), so the BFF's answer and
 * the web's live-patched cache look the same. Pure: the input is not modified. One pass
 * to group, then sorts: O(n log n) for n clusters.
 */
export function groupFleet(clusters: Iterable<Cluster>): Tenant[] {
  const byTenant = new Map<string, Map<string, Cluster[]>>();
  for (const cluster of clusters) {
    let envs = byTenant.get(cluster.tenant);
    if (!envs) byTenant.set(cluster.tenant, (envs = new Map<string, Cluster[]>()));
    let list = envs.get(cluster.environment);
    if (!list) envs.set(cluster.environment, (list = []));
    list.push(cluster);
  }
  return [...byTenant.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, envs]) => ({
      id,
      environments: [...envs.entries()]
        .sort(([a], [b]) => compareEnvironments(a, b))
        .map(([name, list]) => ({ name, clusters: list.sort((x, y) => x.name.localeCompare(y.name)) })),
    }));
}
