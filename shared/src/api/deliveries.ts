import { z } from 'zod/mini';

import { PartialError } from '../model/common.ts';
import {
  ArgoHealthStatus,
  ArgoSyncStatus,
  DeliveryDetail,
  DeliveryEngine,
  DeliveryId,
  DeliverySummary,
  DeliveryTarget,
  DeliveryTone,
} from '../model/delivery.ts';
import { count } from '../model/numbers.ts';

const short = () => z.string().check(z.minLength(1), z.maxLength(253));

/** Filters of GET /api/deliveries, all optional and all in the page's URL; repeated keys are refused. */
export const DeliveryFilters = z.strictObject({
  engine: z.optional(DeliveryEngine),
  tenant: z.optional(short()),
  /** Deliveries reaching this cluster. */
  cluster: z.optional(short()),
  /** Deliveries reaching a cluster of this environment. */
  env: z.optional(short()),
  tone: z.optional(DeliveryTone),
  /** Plain text (never a pattern), case-insensitive, against name, namespace, repo, branch and commit. */
  q: z.optional(z.string().check(z.maxLength(200))),
  /** Deliveries whose own labels match (Argo CD: `argocd app list --selector env=production`); label requirements only. */
  labels: z.optional(z.string().check(z.maxLength(1024))),
});
export type DeliveryFilters = z.infer<typeof DeliveryFilters>;

/** How the page groups rows; the list is ordered by the group first, then by `sort`. */
export const DeliveryGroupBy = z.enum(['none', 'tenant', 'repo', 'cluster']);
export type DeliveryGroupBy = z.infer<typeof DeliveryGroupBy>;
export const DeliverySort = z.enum(['status', 'name', 'lastSync']);
export type DeliverySort = z.infer<typeof DeliverySort>;

/** GET /api/deliveries */
export const DeliveryListQuery = z.extend(DeliveryFilters, {
  group: z.optional(DeliveryGroupBy),
  sort: z.optional(DeliverySort),
  cursor: z.optional(z.string().check(z.maxLength(600))),
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(500))),
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;

/** One row; `group` is the row's group key when grouped (`cluster` grouping repeats a delivery under each cluster it reaches). */
export const DeliveryRow = z.object({ group: z.optional(z.string()), delivery: DeliverySummary });
export type DeliveryRow = z.infer<typeof DeliveryRow>;

export const DeliveryList = z.object({
  items: z.array(DeliveryRow),
  nextCursor: z.optional(z.string()),
  /** Rows under these filters (not only this page). */
  total: count(),
  /** Deliveries under these filters by tone, for the filter chips. */
  byTone: z.record(z.string(), count()),
  errors: z.array(PartialError),
});
export type DeliveryList = z.infer<typeof DeliveryList>;

export const DeliveryParams = z.strictObject({ id: DeliveryId });
export type DeliveryParams = z.infer<typeof DeliveryParams>;

/** GET /api/deliveries/:id */
export const DeliveryDetailResponse = z.object({ delivery: DeliveryDetail, errors: z.array(PartialError) });
export type DeliveryDetailResponse = z.infer<typeof DeliveryDetailResponse>;

/** GET /api/clusters/:name/deliveries: each GitRepo/Application on the cluster, with this cluster's part. */
export const ClusterDeliveries = z.object({
  items: z.array(z.object({ delivery: DeliverySummary, target: DeliveryTarget })),
  errors: z.array(PartialError),
});
export type ClusterDeliveries = z.infer<typeof ClusterDeliveries>;

/**
 * POST /api/deliveries/:id/force-update (Fleet). `click`: a fresh id per click, so the same
 * click delivered twice (a retry, two replicas) bumps `forceSyncGeneration` once.
 */
export const ForceUpdateBody = z.strictObject({ click: z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/)) });
export type ForceUpdateBody = z.infer<typeof ForceUpdateBody>;
/** POST /api/deliveries/:id/pause | /resume (Fleet GitRepo `spec.paused`). */
export const DeliveryPauseBody = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(500))) });
export type DeliveryPauseBody = z.infer<typeof DeliveryPauseBody>;
/** POST /api/deliveries/:id/sync (Argo CD): `operation.sync` as Argo CD's API server writes it. */
export const SyncBody = z.strictObject({
  revision: z.optional(z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[A-Za-z0-9._/@^~-]+$/))),
  prune: z.optional(z.boolean()),
});
export type SyncBody = z.infer<typeof SyncBody>;
/** POST /api/deliveries/:id/refresh (Argo CD annotation `argocd.argoproj.io/refresh`). */
export const RefreshBody = z.strictObject({ hard: z.optional(z.boolean()) });
export type RefreshBody = z.infer<typeof RefreshBody>;

export const DeliveryActionKind = z.enum(['force-update', 'pause', 'resume', 'sync', 'refresh', 'bulk-sync']);
export type DeliveryActionKind = z.infer<typeof DeliveryActionKind>;
/** The answer to every delivery action. `no-op`: it was already so (the same click again, pausing a paused repo). */
export const DeliveryActionResult = z.object({
  outcome: z.enum(['done', 'no-op']),
  /** What was written, for people: "forceSyncGeneration 4 → 5", "sync to HEAD asked". */
  message: z.string(),
});
export type DeliveryActionResult = z.infer<typeof DeliveryActionResult>;

/** GET /api/deliveries/sync-preview?labels=env=production: the Argo CD apps a bulk sync would sync, and the ones it would not (with why). */
export const SyncPreviewQuery = z.strictObject({ labels: z.string().check(z.minLength(1), z.maxLength(1024)) });
export type SyncPreviewQuery = z.infer<typeof SyncPreviewQuery>;
export const SyncPreviewItem = z.object({
  id: DeliveryId,
  name: z.string(),
  cluster: z.optional(z.string()),
  sync: ArgoSyncStatus,
  health: ArgoHealthStatus,
  /** "": it will be synced; else why not (a sync is already running, you may not sync on that cluster). */
  skip: z.string(),
});
export type SyncPreviewItem = z.infer<typeof SyncPreviewItem>;
export const SyncPreview = z.object({ labels: z.string(), items: z.array(SyncPreviewItem), total: count() });
export type SyncPreview = z.infer<typeof SyncPreview>;

/** POST /api/deliveries/bulk-sync: the previewed apps to sync; each is checked again, and only ones still matching `labels` are synced. */
export const BulkSyncBody = z.strictObject({
  labels: z.string().check(z.minLength(1), z.maxLength(1024)),
  ids: z.array(DeliveryId).check(z.minLength(1), z.maxLength(1000)),
  prune: z.optional(z.boolean()),
});
export type BulkSyncBody = z.infer<typeof BulkSyncBody>;
export const BulkSyncResult = z.object({
  results: z.array(z.object({ id: DeliveryId, outcome: z.enum(['done', 'skipped', 'failed']), message: z.string() })),
});
export type BulkSyncResult = z.infer<typeof BulkSyncResult>;

/** Live event `delivery`: these deliveries (only ones the person sees, or saw) changed or are gone: refetch. */
export const DeliveryEvent = z.object({ ids: z.array(DeliveryId) });
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;
