import { apiPaths, type FleetRollouts } from '@fleetdeck/shared';

import { visibleByCluster, visibleClusters } from '../access/scope-checks.ts';
import { defineRoute, requires } from './route.ts';

export const fleetRolloutsRoute = defineRoute({
  method: 'get',
  path: apiPaths.fleetRollouts,
  permission: requires('view'),
  summary: 'Unfinished staged update runs per cluster the caller may see.',
  handler: ({ res, scope, services }) => {
    const { clusters: runs, errors } = services.rollouts.byCluster();
    const inventory = services.inventory.snapshot().clusters;
    const names = new Set(visibleClusters(scope, inventory).map((c) => c.name));
    // A run that also touches clusters this person may not see is counted, not named:
    // its name and namespace could belong to another tenant.
    const clusters = visibleByCluster(scope, inventory, (c) =>
      runs.get(c.name)?.map(({ touches, ...r }) => (touches.every((t) => names.has(t)) ? r : { run: 'restricted', state: r.state })),
    );
    const body: FleetRollouts = { clusters, errors };
    res.json(body);
  },
});
