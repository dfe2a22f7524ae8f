import {
  BulkSyncBody,
  ClusterParams,
  DeliveryListQuery,
  DeliveryParams,
  DeliveryPauseBody,
  ForceUpdateBody,
  RefreshBody,
  SyncBody,
  SyncPreviewQuery,
  apiPaths,
  type DeliveryActionResult,
} from '@fleetdeck/shared';
import type { $ZodType } from 'zod/v4/core';

import { deliveryNotFound, runAction, type DeliveryActionKind } from '../access/deliveries/delivery-actions.ts';
import { bulkSync } from '../access/deliveries/delivery-bulk-sync.ts';
import { BadLabels, labelMatcher } from '../access/deliveries/delivery-filter.ts';
import { BadCursor } from '../access/deliveries/delivery-page.ts';
import { syncPreview } from '../access/deliveries/delivery-preview.ts';
import { DeliveryViews } from '../access/deliveries/delivery-views.ts';
import { HttpProblem } from '../lib/problem.ts';
import type { DeliveryActions, SourceDelivery } from '../sources/gitops/delivery-source.ts';
import type { ActionContext } from '../sources/rollouts/rollout-source.ts';
import { visibleCluster } from './drill-down.ts';
import { defineRoute, requires, type Services } from './route.ts';

/** One cache of per-person answers per app (services), built on first use. */
const viewsByServices = new WeakMap<Services, DeliveryViews>();
export function deliveryViewsOf(services: Services): DeliveryViews {
  let views = viewsByServices.get(services);
  if (!views) {
    views = new DeliveryViews(services.deliveries, () => services.inventory.snapshot());
    viewsByServices.set(services, views);
  }
  return views;
}

/** Bad input the views found, as a 400 naming the parameter (`labels` is where a labels filter came from). */
function asked<T>(labels: string, compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof BadLabels) throw new HttpProblem(400, `${labels}: ${err.message}`);
    if (err instanceof BadCursor) throw new HttpProblem(400, `query.cursor: ${err.message}`);
    throw err;
  }
}

export const deliveriesRoute = defineRoute({
  method: 'get',
  path: apiPaths.deliveries,
  permission: requires('view'),
  summary:
    'Fleet GitRepos and Argo CD Applications the caller may see, counted over their clusters only; filters, labels, grouping, sort, cursor pages.',
  query: DeliveryListQuery,
  handler: ({ res, query, scope, services }) => {
    res.json(asked('query.labels', () => deliveryViewsOf(services).page(scope, query)));
  },
});

export const syncPreviewRoute = defineRoute({
  method: 'get',
  path: apiPaths.deliveriesSyncPreview,
  permission: requires('view'),
  summary: 'The Argo CD apps the caller sees whose labels match, and whether a bulk sync would sync each (and why not).',
  query: SyncPreviewQuery,
  handler: ({ res, query, scope, services }) => {
    res.json(asked('query.labels', () => syncPreview(deliveryViewsOf(services), scope, query.labels)));
  },
});

export const deliveryRoute = defineRoute({
  method: 'get',
  path: apiPaths.delivery,
  permission: requires('view'),
  summary: 'One GitRepo or Application: its targets on the caller’s clusters, and what goes where (targets, customizations).',
  params: DeliveryParams,
  handler: ({ res, params, scope, services }) => {
    const detail = deliveryViewsOf(services).detail(scope, params.id);
    if (!detail) throw deliveryNotFound();
    res.json(detail);
  },
});

export const clusterDeliveriesRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterDeliveries,
  permission: requires('view'),
  summary: 'Every GitRepo and Application on one cluster the caller may see, with that cluster’s state and applied commit.',
  params: ClusterParams,
  handler: ({ res, params, scope, services }) => {
    const cluster = visibleCluster(services, scope, params.name);
    res.json(deliveryViewsOf(services).onCluster(scope, cluster.name));
  },
});

type Run<B> = (actions: DeliveryActions, ctx: ActionContext, d: SourceDelivery, body: B) => Promise<DeliveryActionResult> | undefined;

const actionRoute = <B>(
  kind: DeliveryActionKind,
  path: string,
  summary: string,
  body: $ZodType<B>,
  run: Run<B>,
  describe?: (b: B) => string,
) =>
  defineRoute({
    method: 'post',
    path,
    permission: requires('operate'),
    summary,
    params: DeliveryParams,
    body,
    handler: async ({ res, params, body: b, principal, scope, requestId, services }) => {
      const text = describe?.(b);
      const result = await runAction(
        { services, principal, requestId, id: params.id, kind, ...(text && { asked: text }) },
        deliveryViewsOf(services).one(scope, params.id),
        (actions, ctx, d) => run(actions, ctx, d, b),
      );
      res.json(result);
    },
  });

export const bulkSyncRoute = defineRoute({
  method: 'post',
  path: apiPaths.deliveriesBulkSync,
  permission: requires('operate'),
  summary: 'Syncs the previewed Argo CD apps, each checked again (still visible, still matching the labels, still yours to sync).',
  body: BulkSyncBody,
  handler: async ({ res, body, principal, scope, requestId, services }) => {
    const views = deliveryViewsOf(services);
    // Checked before anything is written (bulkSync parses it again, the same way).
    asked('body.labels', () => labelMatcher(body.labels));
    res.json(await bulkSync({ services, principal, requestId, scope, views }, body));
  },
});

export const deliveryRoutes = [
  deliveriesRoute,
  // Before `:id`, which would otherwise take "sync-preview" as an id.
  syncPreviewRoute,
  deliveryRoute,
  clusterDeliveriesRoute,
  actionRoute<ForceUpdateBody>(
    'force-update',
    apiPaths.deliveryForceUpdate,
    'Fleet: redeploys a GitRepo as Rancher does (forceSyncGeneration + 1), once per click; as the caller.',
    ForceUpdateBody,
    (a, c, d, b) => a.forceUpdate?.(c, d, b.click),
    (b) => `click ${b.click}`,
  ),
  actionRoute<DeliveryPauseBody>(
    'pause',
    apiPaths.deliveryPause,
    'Fleet: pauses a GitRepo (commits still rendered, deployment held); optional reason.',
    DeliveryPauseBody,
    (a, c, d) => a.setPaused?.(c, d, true),
    (b) => b.reason ?? '',
  ),
  actionRoute<DeliveryPauseBody>(
    'resume',
    apiPaths.deliveryResume,
    'Fleet: resumes a paused GitRepo; optional reason.',
    DeliveryPauseBody,
    (a, c, d) => a.setPaused?.(c, d, false),
    (b) => b.reason ?? '',
  ),
  actionRoute<SyncBody>(
    'sync',
    apiPaths.deliverySync,
    'Argo CD: syncs an application as its API server would (refused with 409 while a sync is running); as the caller.',
    SyncBody,
    (a, c, d, b) =>
      a.sync?.(c, d, { ...(b.revision !== undefined && { revision: b.revision }), ...(b.prune !== undefined && { prune: b.prune }) }),
    (b) => [b.revision && `revision ${b.revision}`, b.prune && 'prune'].filter(Boolean).join(', '),
  ),
  actionRoute<RefreshBody>(
    'refresh',
    apiPaths.deliveryRefresh,
    'Argo CD: asks for a refresh (normal, or hard with the manifest cache dropped).',
    RefreshBody,
    (a, c, d, b) => a.refresh?.(c, d, b.hard === true),
    (b) => (b.hard ? 'hard' : ''),
  ),
  bulkSyncRoute,
];
