import { ClusterParams, EventsQuery, apiPaths } from '@fleetdeck/shared';

import { allows } from '../access/scope-checks.ts';
import { HttpProblem } from '../lib/problem.ts';
import { SpokeUnavailable } from '../sources/spokes/spoke-workloads.ts';
import { defineRoute, requires } from './route.ts';

export const clusterRoute = defineRoute({
  method: 'get',
  path: apiPaths.cluster,
  permission: requires('view'),
  summary: 'One cluster the caller may see (labels, annotations, conditions); 404 for any other name.',
  params: ClusterParams,
  handler: ({ res, params, scope, services }) => {
    const cluster = services.inventory.snapshot().clusters.find((c) => c.name === params.name);
    // The same answer for "does not exist" and "not yours": existence is not leaked.
    if (!cluster || !allows(scope, 'view', cluster)) throw new HttpProblem(404, `no cluster "${params.name}" that you may see`);
    res.json(cluster);
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

export const clusterWorkloadsRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterWorkloads,
  permission: requires('view'),
  summary: 'Namespaces and pod counts inside one cluster, read from that cluster as the caller; a down cluster is a 502 for this only.',
  params: ClusterParams,
  handler: async ({ res, params, principal, scope, services }) => {
    const cluster = services.inventory.snapshot().clusters.find((c) => c.name === params.name);
    if (!cluster || !allows(scope, 'view', cluster)) throw new HttpProblem(404, `no cluster "${params.name}" that you may see`);
    if (!services.spokes?.has(cluster.name))
      throw new HttpProblem(404, `Fleetdeck has no connection to ${cluster.name}; drill-down is not available for it`);
    try {
      res.json(await services.spokes.workloads(cluster, principal, scope));
    } catch (err) {
      if (err instanceof SpokeUnavailable) throw new HttpProblem(502, err.message);
      throw err;
    }
  },
});

export const clusterViolationsRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterViolations,
  permission: requires('view'),
  summary: 'Gatekeeper and Kyverno findings of one cluster, read from it as the caller (namespaced ones limited to their namespaces).',
  params: ClusterParams,
  handler: async ({ res, params, principal, scope, services }) => {
    const cluster = services.inventory.snapshot().clusters.find((c) => c.name === params.name);
    if (!cluster || !allows(scope, 'view', cluster)) throw new HttpProblem(404, `no cluster "${params.name}" that you may see`);
    if (!services.spokes?.has(cluster.name))
      throw new HttpProblem(404, `Fleetdeck has no connection to ${cluster.name}; drill-down is not available for it`);
    try {
      res.json(await services.spokes.violations(cluster, principal, scope));
    } catch (err) {
      if (err instanceof SpokeUnavailable) throw new HttpProblem(502, err.message);
      throw err;
    }
  },
});
