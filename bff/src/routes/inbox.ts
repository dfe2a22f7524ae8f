import { apiPaths, type Inbox, type InboxItem } from '@fleetdeck/shared';

import { allowsCluster, currentContext } from '../access/rollouts/rollout-context.ts';
import { scopeKey } from '../access/scope-checks.ts';
import { gateForScope, inboxItems } from '../promotion/notify/inbox-items.ts';
import { RolloutViewCache } from '../sources/rollouts/rollout-view-cache.ts';
import { defineRoute, requires } from './route.ts';

/**
 * Every open tab polls this: the scope-dependent judgement of each waiting gate is kept per
 * rollout version and scope (as the rollouts list does), so a poll costs a walk over the
 * rollouts and the approver-policy check of the few gates the person may approve.
 */
const gates = new RolloutViewCache<InboxItem>();

export const inboxRoute = defineRoute({
  method: 'get',
  path: apiPaths.inbox,
  permission: requires('view'),
  summary: 'The approval gates waiting for the caller: those they may approve now, oldest first.',
  handler: ({ res, scope, principal, services }) => {
    const ctx = currentContext(services.inventory, services.config.rollouts.tenantNamespace);
    const viewer = { scope, user: principal.user };
    const key = scopeKey(scope);
    const items = inboxItems(viewer, principal, services.rollouts.list(), ctx, services.policy.approvers, (r) =>
      gates.get(r, ctx, key, () => gateForScope(viewer, r, ctx)),
    );
    const errors = services.rollouts.errors().filter((e) => !e.cluster || allowsCluster(scope, 'view', e.cluster, ctx));
    const body: Inbox = { items, errors };
    res.json(body);
  },
});
