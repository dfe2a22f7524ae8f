import { apiPaths, type FleetRollouts } from '@fleetdeck/shared';

import { visibleClusters } from '../access/scope-checks.ts';
import { defineRoute, requires } from './route.ts';

export const fleetRolloutsRoute = defineRoute({
  method: 'get',
  path: apiPaths.fleetRollouts,
  permission: requires('view'),
  summary: 'Unfinished staged update runs per cluster the caller may see.',
  handler: ({ res, scope, services }) => {
    const { clusters, errors } = services.rollouts.byCluster();
    const body: FleetRollouts = { clusters: {}, errors };
    const visible = visibleClusters(scope, services.inventory.snapshot().clusters);
    const names = new Set(visible.map((c) => c.name));
    for (const c of visible) {
      const runs = clusters.get(c.name);
      if (!runs) continue;
      // A run that also touches clusters this person may not see is counted, not named:
      // its name and namespace could belong to another tenant.
      body.clusters[c.name] = runs.map(({ touches, ...r }) =>
        touches.every((t) => names.has(t)) ? r : { run: 'restricted', state: r.state },
      );
    }
    res.json(body);
  },
});
