import { apiPaths, type Inbox } from '@fleetdeck/shared';

import { defineRoute, requires } from './route.ts';

// PLACEHOLDER (replaced by the notifications module): the gates waiting for the caller.
export const inboxRoute = defineRoute({
  method: 'get',
  path: apiPaths.inbox,
  permission: requires('view'),
  summary: 'The approval gates waiting for the caller: those they may approve now, oldest first.',
  handler: ({ res }) => {
    const body: Inbox = { items: [], errors: [] };
    res.json(body);
  },
});
