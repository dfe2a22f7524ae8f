import { RolloutListQuery, RolloutParams, apiPaths, type FleetRollouts, type RolloutList, type RolloutSummary } from '@fleetdeck/shared';

import { rolloutDetailFor, rolloutSummaryFor, visibilityOf } from '../access/rollout-access.ts';
import { allowsCluster, currentContext } from '../access/rollouts/rollout-context.ts';
import { BadCursor, pageOf } from '../access/rollouts/rollout-list.ts';
import { scopeKey, visibleByCluster } from '../access/scope-checks.ts';
import { HttpProblem } from '../lib/problem.ts';
import { RolloutViewCache } from '../sources/rollouts/rollout-view-cache.ts';
import { rolloutActionRoutes, rolloutNotFound } from './rollout-actions.ts';
import { defineRoute, requires, type Services } from './route.ts';

const contextOf = (services: Services) =>
  currentContext(services.inventory, services.config.rollouts.tenantNamespace, services.policy.approvers);

/**
 * List rows by rollout version and scope: a row depends on the person's scope only (not on
 * who they are), and judging a 1,000-cluster run for every list request was most of its time.
 */
const summaries = new RolloutViewCache<RolloutSummary>();

/**
 * Detail bodies, serialized, by rollout version, access context and person (scope, name,
 * groups: the approver policy reads them) and the replica's history version: a page open on
 * a 1,000-cluster run refetches it on focus and after every action, and judging and
 * serializing it again each time was most of the route's time and its p95 (garbage).
 */
const details = new RolloutViewCache<string>();

export const fleetRolloutsRoute = defineRoute({
  method: 'get',
  path: apiPaths.fleetRollouts,
  permission: requires('view'),
  summary: 'Unfinished rollouts per cluster the caller may see, each linking to its run, or "restricted".',
  handler: ({ res, scope, principal, services }) => {
    const { clusters: runs, errors } = services.rollouts.byCluster();
    const ctx = contextOf(services);
    const viewer = { scope, user: principal.user, groups: principal.groups };
    // A run the person does not see whole (it touches clusters they may not see, or it is
    // another tenant's namespaced run) is counted, not named: its name could belong to another tenant.
    // A run touches many clusters: judge it once per request, not once per cluster it touches
    // (a fleet-wide run over 5,000 clusters would otherwise cost 5,000 × 5,000 checks).
    const seesWhole = new Map<string, boolean>();
    const whole = (rollout: Parameters<typeof visibilityOf>[1]): boolean => {
      let known = seesWhole.get(rollout.id);
      if (known === undefined) {
        const v = visibilityOf(viewer, rollout, ctx);
        known = !!v && !v.redacted;
        seesWhole.set(rollout.id, known);
      }
      return known;
    };
    const clusters = visibleByCluster(scope, services.inventory.snapshot().clusters, (c) =>
      runs
        .get(c.name)
        ?.map(({ rollout, id, run, namespace, state }) =>
          whole(rollout) ? { run, ...(namespace && { namespace }), state, id } : { run: 'restricted', state },
        ),
    );
    const body: FleetRollouts = { clusters, errors: errors.filter((e) => !e.cluster || allowsCluster(scope, 'view', e.cluster, ctx)) };
    res.json(body);
  },
});

export const rolloutsRoute = defineRoute({
  method: 'get',
  path: apiPaths.rollouts,
  permission: requires('view'),
  summary:
    'Rollouts the caller sees (redacted where they see only part), awaiting-your-approval first; filters state, tenant, source, awaiting; cursor pages.',
  query: RolloutListQuery,
  handler: ({ res, query, scope, principal, services }) => {
    const ctx = contextOf(services);
    const viewer = { scope, user: principal.user, groups: principal.groups };
    const key = scopeKey(scope);
    const rows = services.rollouts.list().flatMap((r) => summaries.get(r, ctx, key, () => rolloutSummaryFor(viewer, r, ctx)) ?? []);
    let page;
    try {
      page = pageOf(rows, query);
    } catch (err) {
      if (err instanceof BadCursor) throw new HttpProblem(400, `query.cursor: ${err.message}`);
      throw err;
    }
    const errors = services.rollouts.errors().filter((e) => !e.cluster || allowsCluster(scope, 'view', e.cluster, ctx));
    const body: RolloutList = { ...page, errors };
    res.json(body);
  },
});

export const rolloutRoute = defineRoute({
  method: 'get',
  path: apiPaths.rollout,
  permission: requires('view'),
  summary: 'One rollout with its waves, gates, policy, history and the caller’s permissions; 404 alike for unknown and not visible.',
  params: RolloutParams,
  handler: ({ res, params, scope, principal, services }) => {
    const r = services.rollouts.get(params.id);
    const ctx = contextOf(services);
    const person = JSON.stringify([scopeKey(scope), principal.user, principal.groups, services.rollouts.historyVersion()]);
    const body =
      r &&
      details.get(r, ctx, person, () => {
        const detail = rolloutDetailFor({ scope, user: principal.user, groups: principal.groups }, r, ctx, services.rollouts.history(r.id));
        return detail && JSON.stringify(detail);
      });
    if (!body) throw rolloutNotFound();
    res.type('application/json').send(body);
  },
});

export const rolloutRoutes = [fleetRolloutsRoute, rolloutsRoute, rolloutRoute, ...rolloutActionRoutes];
