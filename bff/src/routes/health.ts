import { ClusterHealthQuery, ClusterParams, apiPaths, type ClusterHealthPanels, type FleetHealth } from '@fleetdeck/shared';

import { namespacePatterns, visibleByCluster } from '../access/scope-checks.ts';
import { healthForNamespaces } from '../sources/health/health-source.ts';
import { visibleCluster } from './drill-down.ts';
import { defineRoute, requires } from './route.ts';

export const fleetHealthRoute = defineRoute({
  method: 'get',
  path: apiPaths.fleetHealth,
  permission: requires('view'),
  summary: 'At-a-glance health (API up, nodes ready, pod health, violations) of the clusters the caller may see.',
  handler: async ({ res, scope, services }) => {
    const summary = await services.health.summary();
    // Series of hidden clusters never leave; a namespace-limited person gets their
    // namespaces' numbers, never the cluster's.
    const clusters = visibleByCluster(scope, services.inventory.snapshot().clusters, (c) =>
      healthForNamespaces(summary.clusters.get(c.name), summary.pods.get(c.name), namespacePatterns(scope, c)),
    );
    const body: FleetHealth = { clusters, at: summary.at.toISOString(), errors: summary.errors.filter((e) => e.cluster === undefined) };
    res.json(body);
  },
});

export const clusterHealthRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterHealth,
  permission: requires('view'),
  summary: 'The health panels of one cluster the caller may see, over ?range=1h|6h|24h; Prometheus down degrades each panel, not the page.',
  params: ClusterParams,
  query: ClusterHealthQuery,
  handler: async ({ res, params, query, scope, services }) => {
    const cluster = visibleCluster(services, scope, params.name);
    const body: ClusterHealthPanels = {
      cluster: cluster.name,
      range: query.range,
      panels: await services.health.panels(cluster.name, query.range, namespacePatterns(scope, cluster)),
    };
    res.json(body);
  },
});
