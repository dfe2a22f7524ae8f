import { ClusterParams, EventsQuery, apiPaths } from '@fleetdeck/shared';

import { allows } from '../access/scope-checks.ts';
import { HttpProblem } from '../lib/problem.ts';
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
