import {
  ClusterHealthQuery,
  ClusterParams,
  EventsQuery,
  apiPaths,
  type Cluster,
  type ClusterHealthPanels,
  type Scope,
} from '@fleetdeck/shared';

import { allows } from '../access/scope-checks.ts';
import { HttpProblem } from '../lib/problem.ts';
import { SpokeUnavailable, type SpokeWorkloads } from '../sources/spokes/spoke-workloads.ts';
import { defineRoute, requires, type Services } from './route.ts';

export const clusterRoute = defineRoute({
  method: 'get',
  path: apiPaths.cluster,
  permission: requires('view'),
  summary: 'One cluster the caller may see (labels, annotations, conditions); 404 for any other name.',
  params: ClusterParams,
  handler: ({ res, params, scope, services }) => {
    res.json(visibleCluster(services, scope, params.name ?? ''));
  },
});

export const eventsRoute = defineRoute({
  method: 'get',
  path: apiPaths.events,
  permission: requires('view'),
  summary: 'Server-Sent Events: changes to clusters the caller may see; Last-Event-ID resume.',
  query: EventsQuery,
  handler: ({ req, res, query, scope, services }) => {
    services.events.connect(res, scope, req.get('last-event-id') ?? query.lastEventId);
  },
});

/** The visible cluster of that name, or 404 — the same answer for "missing" and "not yours". */
function visibleCluster(services: Services, scope: Scope, name: string): Cluster {
  const cluster = services.inventory.snapshot().clusters.find((c) => c.name === name);
  if (!cluster || !allows(scope, 'view', cluster)) throw new HttpProblem(404, `no cluster "${name}" that you may see`);
  return cluster;
}

/** Runs a drill-down on that cluster's own API server; a cluster that is down is a 502 for this request only. */
async function fromSpoke<T>(services: Services, cluster: Cluster, read: (spokes: SpokeWorkloads) => Promise<T>): Promise<T> {
  if (!services.spokes?.has(cluster.name))
    throw new HttpProblem(404, `Fleetdeck has no connection to ${cluster.name}; drill-down is not available for it`);
  try {
    return await read(services.spokes);
  } catch (err) {
    if (err instanceof SpokeUnavailable) throw new HttpProblem(502, err.message);
    throw err;
  }
}

export const clusterWorkloadsRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterWorkloads,
  permission: requires('view'),
  summary: 'Namespaces and pod counts inside one cluster, read from that cluster as the caller; a down cluster is a 502 for this only.',
  params: ClusterParams,
  handler: async ({ res, params, principal, scope, services }) => {
    const cluster = visibleCluster(services, scope, params.name ?? '');
    res.json(await fromSpoke(services, cluster, (spokes) => spokes.workloads(cluster, principal, scope)));
  },
});

export const clusterViolationsRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterViolations,
  permission: requires('view'),
  summary: 'Gatekeeper and Kyverno findings of one cluster, read from it as the caller (namespaced ones limited to their namespaces).',
  params: ClusterParams,
  handler: async ({ res, params, principal, scope, services }) => {
    const cluster = visibleCluster(services, scope, params.name ?? '');
    res.json(await fromSpoke(services, cluster, (spokes) => spokes.violations(cluster, principal, scope)));
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
    const cluster = visibleCluster(services, scope, params.name ?? '');
    const body: ClusterHealthPanels = {
      cluster: cluster.name,
      range: query.range,
      panels: await services.health.panels(cluster.name, query.range),
    };
    res.json(body);
  },
});
