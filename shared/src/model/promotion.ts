import { z } from 'zod/mini';

import { IsoTime, PartialError } from './common.ts';
import { count } from './numbers.ts';

/**
 * Promotion readiness: whether the wave that just finished (or waits at a gate) is safe to
 * promote from, computed by the BFF from data it already has (rollout state, Prometheus,
 * violations). Every figure is over the clusters the person may see; clusters outside
 * their scope are counted (`hiddenClusters`) and never named, and a hidden cluster's
 * failure makes a check fail without saying which cluster it was.
 */

/** What a check measures. `promql`: a configured expression template (see ReadinessCheckSpec). */
export const ReadinessCheckKind = z.enum([
  'rolloutResult',
  'podHealth',
  'errorRate',
  'restarts',
  'violationsIntroduced',
  'failureThreshold',
  'promql',
]);
export type ReadinessCheckKind = z.infer<typeof ReadinessCheckKind>;

/** `blocking`: a failure makes the wave Not ready. `advisory`: shown, never blocks. */
export const ReadinessSeverity = z.enum(['blocking', 'advisory']);
export type ReadinessSeverity = z.infer<typeof ReadinessSeverity>;

/** `unknown`: the data was not there (Prometheus down, no samples); blocking unknowns make the verdict Unknown, not Ready. */
export const CheckStatus = z.enum(['pass', 'fail', 'unknown']);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** Where a reason's evidence is: a page of the dashboard, as a path with its query (deep link). */
export const Evidence = z.object({
  kind: z.enum(['health', 'violations', 'logs', 'rollout']),
  label: z.string(),
  /** An app path such as `/clusters/prod-us-1?tab=health&from=…&to=…` (never an absolute URL). */
  href: z.string().check(z.startsWith('/')),
});
export type Evidence = z.infer<typeof Evidence>;

export const ClusterCheckValue = z.object({
  cluster: z.string(),
  status: CheckStatus,
  /** The measured value for this cluster (ratio 0..1, a rate, a count), when there is one. */
  value: z.optional(z.number()),
});
export type ClusterCheckValue = z.infer<typeof ClusterCheckValue>;

/** A readiness check as configured: defaults from the brief, extended per rollout or per stage name. */
export const ReadinessCheckSpec = z.object({
  /** Stable id ("pod-health", "error-rate", or the configured name). */
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/)),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  kind: ReadinessCheckKind,
  severity: ReadinessSeverity,
  /**
   * `promql` only: an instant-query template aggregated `by (cluster)`; the wave's clusters
   * and the person's scope are injected into every selector by the PromQL enforcer (never by
   * text substitution). `$window` is replaced by the wave's window as a PromQL duration.
   */
  query: z.optional(z.string().check(z.maxLength(4096))),
  /** A cluster passes when `value <op> threshold`. */
  op: z.optional(z.enum(['<', '<=', '>', '>=', '=='])),
  threshold: z.optional(z.number()),
});
export type ReadinessCheckSpec = z.infer<typeof ReadinessCheckSpec>;

export const ReadinessCheckResult = z.object({
  id: z.string(),
  title: z.string(),
  kind: ReadinessCheckKind,
  severity: ReadinessSeverity,
  status: CheckStatus,
  /** One sentence: "2 of 12 clusters below 95% pods healthy", "Prometheus did not answer". */
  summary: z.string(),
  threshold: z.optional(z.number()),
  /** Per visible cluster, worst first (bounded: at most 200). */
  clusters: z.array(ClusterCheckValue),
  /** Clusters outside the person's scope that failed this check: counted, never named. */
  hiddenFailing: count(),
  evidence: z.array(Evidence),
});
export type ReadinessCheckResult = z.infer<typeof ReadinessCheckResult>;

/** A violation on a wave cluster that was not there when the wave started. */
export const IntroducedViolation = z.object({
  id: z.string(),
  cluster: z.string(),
  namespace: z.optional(z.string()),
  policy: z.string(),
  severity: z.string(),
  message: z.string(),
  firstSeenAt: z.optional(IsoTime),
});
export type IntroducedViolation = z.infer<typeof IntroducedViolation>;

export const ReadinessVerdict = z.enum(['Ready', 'NotReady', 'Unknown']);
export type ReadinessVerdict = z.infer<typeof ReadinessVerdict>;

/** GET /api/rollouts/:id/waves/:wave/readiness */
export const WaveReadiness = z.object({
  rolloutId: z.string(),
  wave: z.string(),
  verdict: ReadinessVerdict,
  /** Why not ready (one per failing blocking check), in the order shown; empty when Ready. */
  reasons: z.array(z.string()),
  checks: z.array(ReadinessCheckResult),
  /** The window compared: from when the wave started to now (or when it finished). */
  windowStart: z.optional(IsoTime),
  windowEnd: IsoTime,
  evaluatedAt: IsoTime,
  /** The rollout's failure threshold (the brief's failureThreshold), and how many of the wave's clusters failed. */
  failureThreshold: z.object({ threshold: z.optional(count()), failed: count(), reached: z.boolean() }),
  /** The rollout's success threshold as a pod-healthy ratio (default 0.95, the brief's successThreshold). */
  successThreshold: z.number().check(z.gte(0), z.lte(1)),
  introducedViolations: z.object({ total: count(), items: z.array(IntroducedViolation) }),
  hiddenClusters: count(),
  /** A digest of verdict + reasons + check statuses: sent back with an approval to say what the approver saw. */
  digest: z.string(),
  errors: z.array(PartialError),
});
export type WaveReadiness = z.infer<typeof WaveReadiness>;

/**
 * Step-up sign-in: approving a wave whose policy needs multi-factor sign-in, without it in
 * the session, answers 401 with this problem `type`; the web sends the person to
 * `GET /api/auth/login?stepUp=mfa&returnTo=…` and they approve again when back.
 */
export const STEP_UP_PROBLEM_TYPE = 'https://fleetdeck.dev/problems/step-up-required';

/** What an approver saw, stored with their decision (bounded). */
export const ReadinessSnapshot = z.object({
  verdict: ReadinessVerdict,
  reasons: z.array(z.string().check(z.maxLength(500))).check(z.maxLength(20)),
  evaluatedAt: IsoTime,
  digest: z.string().check(z.maxLength(128)),
});
export type ReadinessSnapshot = z.infer<typeof ReadinessSnapshot>;

/**
 * One approval as Fleetdeck records it on the approval request object (KubeFleet) or the
 * bundle (Fleet gated waves), in the `fleetdeck.dev/approvals` annotation: a JSON list, one
 * entry per distinct approver, so partial approvals survive restarts and every replica reads them.
 */
export const RecordedApproval = z.object({
  user: z.string().check(z.minLength(1), z.maxLength(256)),
  at: IsoTime,
  comment: z.optional(z.string().check(z.maxLength(1024))),
  /** The approver's groups that the approver policy counted (only groups the policy names). */
  groups: z.array(z.string().check(z.maxLength(256))).check(z.maxLength(20)),
  /** Typed when the wave was not ready. */
  notReadyReason: z.optional(z.string().check(z.maxLength(1024))),
  readiness: z.optional(ReadinessSnapshot),
  /** The sign-in had multi-factor authentication (amr contains mfa, or the configured acr). */
  mfa: z.optional(z.boolean()),
});
export type RecordedApproval = z.infer<typeof RecordedApproval>;

/** The annotation holding the RecordedApproval list. */
export const APPROVALS_ANNOTATION = 'fleetdeck.dev/approvals';

/**
 * The approver policy's state for one wave: who approved so far (partial approvals are kept
 * on the approval request object, so every replica and restart sees them) and what is still
 * needed ("needs one more from fleet-platform-admins").
 */
export const ApprovalProgress = z.object({
  /** Distinct approvers needed in all. */
  required: count(),
  approvals: z.array(RecordedApproval),
  /** Per group requirement: how many approvals from that group are needed and given. */
  groupRequirements: z.array(z.object({ group: z.string(), required: count(), given: count() })),
  satisfied: z.boolean(),
  /** "1 of 2 approvals; needs one more from fleet-platform-admins". */
  summary: z.string(),
  /** Approving this wave needs a multi-factor sign-in (production waves, by policy). */
  mfaRequired: z.boolean(),
});
export type ApprovalProgress = z.infer<typeof ApprovalProgress>;

/** One line of the "waiting for you" inbox: a gate this person may approve now. */
export const InboxItem = z.object({
  rolloutId: z.string(),
  rollout: z.string(),
  tenant: z.optional(z.string()),
  wave: z.string(),
  position: z.enum(['before', 'after']),
  waitingSince: z.optional(IsoTime),
  progress: z.optional(z.object({ given: count(), required: count() })),
  /** App path of the rollout page at that wave. */
  href: z.string().check(z.startsWith('/')),
});
export type InboxItem = z.infer<typeof InboxItem>;

/** GET /api/inbox */
export const Inbox = z.object({ items: z.array(InboxItem), errors: z.array(PartialError) });
export type Inbox = z.infer<typeof Inbox>;

/** What Fleetdeck notifies about. */
export const PromotionEventKind = z.enum(['waveWaiting', 'waveFailed', 'failureThresholdReached', 'rolloutCompleted', 'rolledBack']);
export type PromotionEventKind = z.infer<typeof PromotionEventKind>;

/** The generic JSON webhook payload (the Slack-compatible one is derived from it). */
export const PromotionEvent = z.object({
  /** Unique per occurrence (receivers dedupe on it: a retry carries the same id). */
  id: z.string(),
  kind: PromotionEventKind,
  at: IsoTime,
  rolloutId: z.string(),
  rollout: z.string(),
  tenant: z.optional(z.string()),
  wave: z.optional(z.string()),
  /** One sentence for people. */
  text: z.string(),
  /** Absolute URL of the rollout page (the BFF's public URL + app path). */
  link: z.string(),
  /** Only the clusters of the tenant the webhook belongs to (a tenant's webhook never names another's). */
  clusters: z.array(z.string()),
});
export type PromotionEvent = z.infer<typeof PromotionEvent>;
