import { facetsOf, type Cluster, type ClusterEvent, type FleetTree } from '@fleetdeck/shared';

const ENV_ORDER = ['dev', 'staging', 'production'];
const envRank = (name: string) => (ENV_ORDER.includes(name) ? ENV_ORDER.indexOf(name) : ENV_ORDER.length);

/**
 * Patches the cached fleet tree with live events, in the order they came. The tree
 * comes back in the BFF's own order (tenants by id, environments in promotion order,
 * clusters by name), so a patched cache looks exactly like a fresh fetch.
 */
export function applyClusterEvents(tree: FleetTree, events: readonly ClusterEvent[]): FleetTree {
  if (events.length === 0) return tree;
  const byName = new Map<string, Cluster>();
  for (const t of tree.tenants) for (const e of t.environments) for (const c of e.clusters) byName.set(c.name, c);
  for (const ev of events) {
    if (ev.type === 'DELETED') byName.delete(ev.name);
    else byName.set(ev.cluster.name, ev.cluster);
  }
  const tenants = new Map<string, Map<string, Cluster[]>>();
  for (const c of byName.values()) {
    const envs = tenants.get(c.tenant) ?? new Map<string, Cluster[]>();
    tenants.set(c.tenant, envs);
    const list = envs.get(c.environment) ?? [];
    envs.set(c.environment, list);
    list.push(c);
  }
  const clusters = [...byName.values()];
  return {
    ...tree,
    tenants: [...tenants.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, envs]) => ({
        id,
        environments: [...envs.entries()]
          .sort(([a], [b]) => envRank(a) - envRank(b) || a.localeCompare(b))
          .map(([name, list]) => ({ name, clusters: list.sort((x, y) => x.name.localeCompare(y.name)) })),
      })),
    clusterCount: clusters.length,
    visibleCount: clusters.length,
    facets: facetsOf(clusters),
    syncedAt: new Date().toISOString(),
  };
}
