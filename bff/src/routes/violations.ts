import { ClusterParams, apiPaths } from '@fleetdeck/shared';

import { fromSpoke, visibleCluster } from './drill-down.ts';
import { defineRoute, requires } from './route.ts';

export const clusterViolationsRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterViolations,
  permission: requires('view'),
  summary: 'Gatekeeper and Kyverno findings of one cluster, read from it as the caller (namespaced ones limited to their namespaces).',
  params: ClusterParams,
  handler: async ({ res, params, principal, scope, services }) => {
    const cluster = visibleCluster(services, scope, params.name);
    res.json(await fromSpoke(services, cluster, (spokes) => spokes.violations(cluster, principal, scope)));
  },
});
