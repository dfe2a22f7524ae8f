import {
  compileSelector,
  facetsOf,
  type Cluster,
  type FleetTree,
  type PartialError,
  type Scope,
  type Selector,
  groupFleet,
} from '@fleetdeck/shared';

import { visibleClusters } from '../access/scope-checks.ts';
import type { InventorySnapshot } from '../sources/inventory.ts';

/** The fleet answer: clusters grouped by the one shared `groupFleet`, with facets, counts and errors. */
export function buildFleetTree(
  clusters: readonly Cluster[],
  syncedAt: Date,
  errors: readonly PartialError[],
  visibleCount = clusters.length,
): FleetTree {
  const tenants = groupFleet(clusters);
  return {
    tenants,
    clusterCount: clusters.length,
    visibleCount,
    facets: facetsOf(clusters),
    syncedAt: syncedAt.toISOString(),
    errors: [...errors],
  };
}

/** The fleet tree as the caller may see it, narrowed by a selector; errors of hidden clusters are dropped too. */
export function fleetTreeJson(snapshot: InventorySnapshot, scope: Scope, selector: Selector = { source: '', requirements: [] }): string {
  const visible = visibleClusters(scope, snapshot.clusters);
  const names = new Set(visible.map((c) => c.name));
  const errors = snapshot.errors.filter((e) => e.cluster === undefined || names.has(e.cluster));
  const selected = selector.requirements.length === 0 ? visible : visible.filter(compileSelector(selector));
  return JSON.stringify(buildFleetTree(selected, snapshot.syncedAt, errors, visible.length));
}
