import { EventsQuery, apiPaths } from '@fleetdeck/shared';

import { TooManyStreams } from '../events/event-hub.ts';
import { HttpProblem } from '../lib/problem.ts';
import { defineRoute, requires } from './route.ts';

export const eventsRoute = defineRoute({
  method: 'get',
  path: apiPaths.events,
  permission: requires('view'),
  summary: 'Server-Sent Events: changes to clusters and rollouts the caller may see (rollouts as their list rows); Last-Event-ID resume.',
  query: EventsQuery,
  handler: ({ req, res, query, scope, sid, principal, services }) => {
    try {
      services.events.connect(res, scope, req.get('last-event-id') ?? query.lastEventId, sid, principal.user, principal.groups);
    } catch (err) {
      if (err instanceof TooManyStreams) throw new HttpProblem(429, err.message);
      throw err;
    }
  },
});
