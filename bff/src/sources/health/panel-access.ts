import type { Cluster, HealthAudience, Scope } from '@fleetdeck/shared';

import { promAccess, type PromAccess } from '../../access/promql/index.ts';
import { namespacePatterns, scopeKey, visibleClusters } from '../../access/scope-checks.ts';
import { GenerationCache, InventoryShape, type ClusterList } from '../../access/scope-memo.ts';

/** What a namespace-limited person is told instead of a cluster-wide figure. */
export const CLUSTER_WIDE_ONLY = 'cluster-wide figures need a wider role';

type ClusterRef = Pick<Cluster, 'name' | 'tenant' | 'environment'>;

/**
 * Per panel audience, the PromAccess its query runs under for one person; `everyCluster`: they
 * see every cluster of the list the accesses were built over (the inventory) whole. Only then is
 * a recorded fleet band tried (recorded-fleet-band.ts): whether it can be read depends on the
 * store, and nobody who does not see the whole inventory should learn anything from that.
 */
export type PanelAccesses = Record<HealthAudience, PromAccess> & { everyCluster?: boolean };

/**
 * The accesses a person's panels run under, over `clusters` (the inventory, or one cluster
 * for the cluster page), from the same scope checks as every other route:
 * - `namespaces`: exactly the PromQL route's access (their namespaces where that is all they have);
 * - `wholeCluster`: only the clusters they see whole;
 * - `anyViewer`: every cluster they see, whole — for the built-in API availability only,
 *   which the fleet tree already shows to whoever sees the cluster.
 * No visible cluster: no groups, and the enforcer refuses every query.
 */
export function panelAccesses(scope: Scope, clusters: readonly ClusterRef[]): PanelAccesses {
  const visible = visibleClusters(scope, clusters).map((c) => ({ name: c.name, namespaces: namespacePatterns(scope, c) }));
  return {
    everyCluster: visible.length === clusters.length && visible.every((c) => c.namespaces === '*'),
    namespaces: promAccess(visible.map((c) => ({ clusters: [c.name], namespaces: c.namespaces }))),
    wholeCluster: promAccess(visible.filter((c) => c.namespaces === '*').map((c) => ({ clusters: [c.name], namespaces: '*' }))),
    anyViewer: promAccess(visible.map((c) => ({ clusters: [c.name], namespaces: '*' }))),
  };
}

/** How many clusters an access reaches. */
export const clustersIn = (access: PromAccess) => access.groups.reduce((n, g) => n + g.clusters.length, 0);

/**
 * `panelAccesses` over the inventory, remembered per scope while the clusters' names,
 * tenants and environments stay the same: building them walks every cluster (~12 ms at
 * 1,000 clusters) and each refresh of the Health page would otherwise pay it again.
 * Bounded: past `max` scopes the oldest is dropped.
 */
export class PanelAccessMemo {
  readonly #inventory: InventoryShape;
  readonly #byScope: GenerationCache;

  constructor(inventory: () => ClusterList, max = 256) {
    this.#inventory = new InventoryShape(inventory);
    this.#byScope = new GenerationCache(max);
  }

  get(scope: Scope): PanelAccesses {
    return this.#byScope.get(String(this.#inventory.generation()), scopeKey(scope), () =>
      panelAccesses(scope, this.#inventory.current().clusters),
    );
  }
}
