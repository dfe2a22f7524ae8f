import { apiPaths, type ClusterHealth, type FleetHealth } from '@fleetdeck/shared';

import { visibleClusters } from '../access/scope-checks.ts';
import { defineRoute, requires } from './route.ts';

export const fleetHealthRoute = defineRoute({
  method: 'get',
  path: apiPaths.fleetHealth,
  permission: requires('view'),
  summary: 'At-a-glance health (API up, nodes ready, pod health, violations) of the clusters the caller may see.',
  handler: async ({ res, scope, services }) => {
    const summary = await services.health.summary();
    const clusters: Record<string, ClusterHealth> = {};
    // Filtered by the same scope as the fleet: series of hidden clusters never leave.
    for (const c of visibleClusters(scope, services.inventory.snapshot().clusters)) {
      const h = summary.clusters.get(c.name);
      if (h) clusters[c.name] = h;
    }
    const body: FleetHealth = { clusters, at: summary.at.toISOString(), errors: summary.errors.filter((e) => e.cluster === undefined) };
    res.json(body);
  },
});
