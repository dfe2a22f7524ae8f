import { facetsOf, groupFleet, type Cluster, type ClusterEvent, type FleetTree } from '@fleetdeck/shared';

/**
 * Patches the cached fleet tree with live events, in the order they came. The tree is
 * regrouped with the shared groupFleet (the BFF's own order), so a patched cache looks
 * exactly like a fresh fetch.
 */
export function applyClusterEvents(tree: FleetTree, events: readonly ClusterEvent[]): FleetTree {
  if (events.length === 0) return tree;
  const byName = new Map<string, Cluster>();
  for (const t of tree.tenants) for (const e of t.environments) for (const c of e.clusters) byName.set(c.name, c);
  for (const ev of events) {
    if (ev.type === 'DELETED') byName.delete(ev.name);
    else byName.set(ev.cluster.name, ev.cluster);
  }
  const clusters = [...byName.values()];
  return {
    ...tree,
    tenants: groupFleet(clusters),
    clusterCount: clusters.length,
    visibleCount: clusters.length,
    facets: facetsOf(clusters),
    syncedAt: new Date().toISOString(),
  };
}
