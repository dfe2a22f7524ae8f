import { z } from 'zod/mini';

import { Condition, IsoTime, PartialError } from './common.ts';
import { count } from './numbers.ts';
import { ApprovalProgress, ReadinessSnapshot } from './promotion.ts';

/**
 * The neutral rollout model every source maps into (KubeFleet staged update runs, their
 * namespaced twins, Rancher Fleet bundles, the demo). Routes and the web speak only this.
 *
 * A rollout's `id` is `<source>~<namespace>~<name>` (namespace empty for cluster-scoped
 * objects): stable, URL-safe (names are DNS-1123), and it names nothing the person could
 * not already see, because a rollout is listed only to people who see it (see `redacted`).
 */
export const RolloutSourceKind = z.enum(['demo', 'kubefleet', 'kubefleet-namespaced', 'rancher-fleet', 'argocd']);
export type RolloutSourceKind = z.infer<typeof RolloutSourceKind>;

export const RolloutId = z.string().check(z.minLength(3), z.maxLength(600), z.regex(/^[a-z-]+~[a-z0-9.-]*~[a-z0-9.-]+$/));

/**
 * A cluster's state in its wave. `Held`: Fleet staged the new version but the cluster's
 * partition is not yet allowed to apply it (stagedDeploymentID ≠ deploymentID).
 */
export const ClusterRolloutState = z.enum(['Pending', 'Held', 'Updating', 'Succeeded', 'Failed', 'Skipped', 'Unknown']);
export type ClusterRolloutState = z.infer<typeof ClusterRolloutState>;
export const ClusterRolloutStatus = z.object({
  cluster: z.string(),
  /** From the inventory's `region` label (filled by the BFF), so a wave can be grouped by region. */
  region: z.optional(z.string()),
  state: ClusterRolloutState,
  /** Why it failed or is not ready, as the source says it (Fleet's nonReadyStatus, KubeFleet's condition message). */
  message: z.optional(z.string()),
  startedAt: z.optional(IsoTime),
  finishedAt: z.optional(IsoTime),
});
export type ClusterRolloutStatus = z.infer<typeof ClusterRolloutStatus>;

export const GateKind = z.enum(['Approval', 'TimedWait']);
/**
 * `Waiting`: the run reached the gate (an approval request exists and is not approved, or
 * the wait is counting down). `Approved`: Approved=True was written for the request's
 * current generation; `accepted` says the controller acknowledged it (ApprovalAccepted).
 */
export const GateState = z.enum(['NotStarted', 'Waiting', 'Approved', 'Elapsed', 'Unknown']);
export type GateState = z.infer<typeof GateState>;
export const Gate = z.object({
  kind: GateKind,
  position: z.enum(['before', 'after']),
  state: GateState,
  /** The approval request object (KubeFleet names it `<run>-before-<stage>` / `<run>-after-<stage>`). */
  approvalName: z.optional(z.string()),
  accepted: z.optional(z.boolean()),
  /** TimedWait: the strategy snapshot's waitTime. */
  waitSeconds: z.optional(z.number().check(z.nonnegative())),
  /** When the stage began waiting at this gate. */
  waitingSince: z.optional(IsoTime),
  /** TimedWait: waitingSince + waitSeconds (WaitTimeElapsed is never written False, so this is computed). */
  elapsesAt: z.optional(IsoTime),
  /** Approval: who approved (from the condition message Fleetdeck writes), when, and their comment. */
  approvedBy: z.optional(z.string()),
  approvedAt: z.optional(IsoTime),
  comment: z.optional(z.string()),
});
export type Gate = z.infer<typeof Gate>;

export const WaveState = z.enum([
  'NotStarted',
  'Progressing',
  'AwaitingApproval',
  'Waiting',
  'Held',
  'Succeeded',
  'Failed',
  'Stopped',
  'Unknown',
]);
export type WaveState = z.infer<typeof WaveState>;

/** Counts of a wave's (or a run's) clusters by state, hidden ones included. */
export const RolloutProgress = z.object({
  total: count(),
  succeeded: count(),
  failed: count(),
  updating: count(),
});
export type RolloutProgress = z.infer<typeof RolloutProgress>;

/**
 * One wave (a KubeFleet stage, a Fleet partition). Each limit keeps its source's name:
 * KubeFleet's `maxConcurrency` bounds clusters updating at once; Fleet's
 * `maxUnavailable` bounds clusters that are not ready. They are not the same thing.
 */
export const Wave = z.object({
  name: z.string(),
  index: count(),
  state: WaveState,
  maxConcurrency: z.optional(z.union([z.number().check(z.int(), z.positive()), z.string().check(z.regex(/^\d+%$/))])),
  maxUnavailable: z.optional(z.union([count(), z.string().check(z.regex(/^\d+%$/))])),
  /** Fleet: clusters of this partition not ready now, against maxUnavailable. */
  unavailable: z.optional(count()),
  gates: z.array(Gate),
  clusters: z.array(ClusterRolloutStatus),
  /** Clusters of this wave the person may not see: counted, never named. */
  hiddenClusters: count(),
  progress: RolloutProgress,
  startedAt: z.optional(IsoTime),
  finishedAt: z.optional(IsoTime),
  /** Why the wave is where it is (e.g. "over its unavailable limit: holds the next partition"). */
  message: z.optional(z.string()),
  /**
   * Fleet bundles with gated waves (`fleetdeck.dev/gated-waves: "true"`): this wave's clusters
   * are held by Fleetdeck with Fleet's own `Cluster.spec.paused` until the wave is approved
   * (or its soak time elapses). A paused cluster holds every bundle on it and stops drift
   * correction: `otherBundles` names the other bundles held (those the person may see).
   */
  held: z.optional(
    z.object({
      clusters: count(),
      otherBundles: z.array(z.string()),
      note: z.string(),
    }),
  ),
});
export type Wave = z.infer<typeof Wave>;

/** The brief's policy, filled from whichever fields the source has; each field names its source field in `sourceFields`. */
export const RolloutPolicy = z.object({
  maxConcurrent: z.optional(z.union([z.number().check(z.int(), z.positive()), z.string()])),
  maxUnavailable: z.optional(z.union([count(), z.string()])),
  maxUnavailablePartitions: z.optional(z.union([count(), z.string()])),
  pauseBetweenWavesSeconds: z.optional(z.number().check(z.nonnegative())),
  failureThreshold: z.optional(count()),
  successThresholdPodHealthyRatio: z.optional(z.number().check(z.gte(0), z.lte(1))),
  /** e.g. { maxConcurrent: "stages[].maxConcurrency" }: where each shown value comes from. */
  sourceFields: z.record(z.string(), z.string()),
});
export type RolloutPolicy = z.infer<typeof RolloutPolicy>;

export const RolloutState = z.enum([
  'Initializing',
  'Progressing',
  'AwaitingApproval',
  'Waiting',
  'Stopped',
  'Succeeded',
  'Failed',
  'Unknown',
]);
export type RolloutState = z.infer<typeof RolloutState>;

/** Whether this person may take an action, and if not, why (the UI shows the reason on a disabled button). */
export const ActionPermission = z.object({ allowed: z.boolean(), reason: z.optional(z.string()) });
export type ActionPermission = z.infer<typeof ActionPermission>;

export const RolloutActionKind = z.enum(['approve', 'pause', 'resume', 'abort', 'rollback', 'reject', 'unpin']);
export type RolloutActionKind = z.infer<typeof RolloutActionKind>;

/** One line of a rollout's history: approvals, pauses, aborts… who, when, with what comment. */
export const RolloutHistoryEntry = z.object({
  at: IsoTime,
  actor: z.string(),
  action: z.string(),
  wave: z.optional(z.string()),
  result: z.optional(z.string()),
  comment: z.optional(z.string()),
  /** Approving a wave that was not ready: the reason the approver typed, and what they saw. */
  notReadyReason: z.optional(z.string()),
  readiness: z.optional(ReadinessSnapshot),
  /** Where the entry was read: Fleetdeck's audit, or the upstream object itself (an approval condition or annotation). */
  from: z.enum(['audit', 'upstream']),
});
export type RolloutHistoryEntry = z.infer<typeof RolloutHistoryEntry>;

/** What a roll back would do, so the dialog can say it before anyone confirms. */
export const RollbackPlan = z.object({
  /** KubeFleet: the resource snapshot index to return to; Fleet: the commit to pin the GitRepo to. */
  toRevision: z.string(),
  fromRevision: z.optional(z.string()),
  clusters: z.array(z.string()),
  hiddenClusters: count(),
  note: z.string(),
});
export type RollbackPlan = z.infer<typeof RollbackPlan>;

/** A row of the rollouts list. */
export const RolloutSummary = z.object({
  id: RolloutId,
  name: z.string(),
  namespace: z.optional(z.string()),
  /** The tenant owning a namespaced run, or the one tenant all of a cluster-scoped run's clusters belong to. */
  tenant: z.optional(z.string()),
  source: RolloutSourceKind,
  /** What is rolled out: the placement (KubeFleet) or the bundle (Fleet). */
  target: z.string(),
  /** Resource snapshot index (KubeFleet) or commit (Fleet) being rolled out. */
  revision: z.optional(z.string()),
  state: RolloutState,
  /** The wave in progress or waiting (by name), if any. */
  currentWave: z.optional(z.string()),
  progress: RolloutProgress,
  /** The first gate waiting for an approval, with whether this person may give it. */
  awaitingApproval: z.optional(z.object({ wave: z.string(), position: z.enum(['before', 'after']), canApprove: z.boolean() })),
  /** True when some of its clusters are outside the person's scope: those are counted, not named, and upstream messages are dropped. */
  redacted: z.boolean(),
  hiddenClusters: count(),
  createdAt: z.optional(IsoTime),
  updatedAt: z.optional(IsoTime),
  message: z.optional(z.string()),
});
export type RolloutSummary = z.infer<typeof RolloutSummary>;

/** GET /api/rollouts/:id */
export const Rollout = z.extend(RolloutSummary, {
  policy: RolloutPolicy,
  waves: z.array(Wave),
  conditions: z.array(Condition),
  /** This person's permissions, per action (approve is per wave: see `approveWaves`). */
  actions: z.record(RolloutActionKind, ActionPermission),
  /** Per wave name: may this person approve its waiting gate. */
  approveWaves: z.record(z.string(), ActionPermission),
  /** Per wave name with an approval gate: the approver policy's progress (who approved, what is still needed). */
  approvalProgress: z.optional(z.record(z.string(), ApprovalProgress)),
  rollback: z.optional(RollbackPlan),
  /** Fleet: the GitRepo is pinned by a roll back; new pushes are not deployed until unpinned. */
  pinned: z.optional(z.object({ revision: z.string(), branch: z.optional(z.string()) })),
  history: z.array(RolloutHistoryEntry),
  errors: z.array(PartialError),
});
export type Rollout = z.infer<typeof Rollout>;

/** GET /api/rollouts */
export const RolloutListQuery = z.strictObject({
  state: z.optional(RolloutState),
  tenant: z.optional(z.string().check(z.maxLength(63))),
  source: z.optional(RolloutSourceKind),
  awaiting: z.optional(z.enum(['true', 'false'])),
  cursor: z.optional(z.string().check(z.maxLength(600))),
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(500))),
});
export type RolloutListQuery = z.infer<typeof RolloutListQuery>;

/**
 * Whether a list row belongs under these filters: the BFF pages with it and the web keeps
 * live-patched lists with it, so both sides agree. "awaiting" means awaiting *this
 * person's* approval; `awaiting=false` filters nothing.
 */
export function rolloutMatches(r: RolloutSummary, q: Pick<RolloutListQuery, 'state' | 'tenant' | 'source' | 'awaiting'>): boolean {
  if (q.state !== undefined && r.state !== q.state) return false;
  if (q.tenant !== undefined && r.tenant !== q.tenant) return false;
  if (q.source !== undefined && r.source !== q.source) return false;
  if (q.awaiting === 'true' && !r.awaitingApproval?.canApprove) return false;
  return true;
}

export const RolloutList = z.object({
  items: z.array(RolloutSummary),
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor: z.optional(z.string()),
  errors: z.array(PartialError),
});
export type RolloutList = z.infer<typeof RolloutList>;

export const RolloutParams = z.strictObject({ id: RolloutId });
export const RolloutWaveParams = z.strictObject({ id: RolloutId, wave: z.string().check(z.minLength(1), z.maxLength(63)) });

/** POST /api/rollouts/:id/waves/:wave/approve */
export const ApproveBody = z.strictObject({
  comment: z.optional(z.string().check(z.maxLength(1024))),
  /** Required when the wave is not ready (as the BFF evaluates it at the approval): why approve anyway. */
  notReadyReason: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  /** The readiness the approver was shown, stored with the decision. */
  readiness: z.optional(ReadinessSnapshot),
});
export type ApproveBody = z.infer<typeof ApproveBody>;
/** POST …/pause (reason optional), …/reject (pause with a required reason). */
export const PauseBody = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(1024))) });
export const RejectBody = z.strictObject({ reason: z.string().check(z.minLength(1), z.maxLength(1024)) });
/** POST …/abort and …/rollback: the person types the rollout's name to confirm. */
export const ConfirmBody = z.strictObject({ confirm: z.string().check(z.maxLength(253)) });
export const EmptyBody = z.strictObject({});

/** The answer to every rollout action. `no-op`: it was already so (a second approval, pausing a paused run). */
export const RolloutActionResult = z.object({
  outcome: z.enum(['done', 'no-op']),
  /** e.g. "alreadyApproved", "approved", "paused". */
  code: z.string(),
  message: z.string(),
});
export type RolloutActionResult = z.infer<typeof RolloutActionResult>;
