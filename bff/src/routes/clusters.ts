import { ClusterParams, apiPaths } from '@fleetdeck/shared';

import { fromSpoke, visibleCluster } from './drill-down.ts';
import { defineRoute, requires } from './route.ts';

export const clusterRoute = defineRoute({
  method: 'get',
  path: apiPaths.cluster,
  permission: requires('view'),
  summary: 'One cluster the caller may see (labels, annotations, conditions); 404 for any other name.',
  params: ClusterParams,
  handler: ({ res, params, scope, services }) => {
    res.json(visibleCluster(services, scope, params.name));
  },
});

export const clusterWorkloadsRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterWorkloads,
  permission: requires('view'),
  summary: 'Namespaces and pod counts inside one cluster, read from that cluster as the caller; a down cluster is a 502 for this only.',
  params: ClusterParams,
  handler: async ({ res, params, principal, scope, services }) => {
    const cluster = visibleCluster(services, scope, params.name);
    res.json(await fromSpoke(services, cluster, (spokes) => spokes.workloads(cluster, principal, scope)));
  },
});
