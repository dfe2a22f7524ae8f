import { z } from 'zod/mini';

import { IsoTime } from './common.ts';
import { count } from './numbers.ts';

/**
 * The cross-engine violation model (Gatekeeper constraint audit results, Kyverno and
 * OpenReports policy reports). Routes and the web speak only this.
 */
export const ViolationEngine = z.enum(['gatekeeper', 'kyverno']);
export type ViolationEngine = z.infer<typeof ViolationEngine>;

/** Kyverno's severities; Gatekeeper has none (a constraint may say it in a label or annotation, else `unknown`). */
export const ViolationSeverity = z.enum(['critical', 'high', 'medium', 'low', 'info', 'unknown']);
export type ViolationSeverity = z.infer<typeof ViolationSeverity>;

/**
 * What the policy does about it: Gatekeeper's enforcementAction (deny, warn, dryrun) or
 * Kyverno's validation failure action (Enforce → deny, Audit → audit).
 */
export const ViolationAction = z.enum(['deny', 'warn', 'dryrun', 'audit', 'unknown']);
export type ViolationAction = z.infer<typeof ViolationAction>;

/** Kyverno's result of a failing check (pass and skip are not violations; they count in summaries). */
export const ViolationResult = z.enum(['fail', 'warn', 'error']);
export type ViolationResult = z.infer<typeof ViolationResult>;

export const ViolationResource = z.object({
  apiVersion: z.optional(z.string()),
  kind: z.string(),
  namespace: z.optional(z.string()),
  name: z.string(),
});
export type ViolationResource = z.infer<typeof ViolationResource>;

export const Violation = z.object({
  /** Stable over re-reads: a hash of engine, cluster, policy, rule and resource (no secret, no upstream uid). */
  id: z.string(),
  engine: ViolationEngine,
  cluster: z.string(),
  /** Gatekeeper: the constraint's kind/name ("K8sRequiredLabels/must-have-owner"); Kyverno: the policy name. */
  policy: z.string(),
  rule: z.optional(z.string()),
  severity: ViolationSeverity,
  action: ViolationAction,
  result: ViolationResult,
  category: z.optional(z.string()),
  resource: ViolationResource,
  /** As the engine wrote it (Gatekeeper cuts it at 256 characters). */
  message: z.string(),
  /** First time Fleetdeck saw it (this process), and the engine's own time of the last audit that reported it. */
  firstSeenAt: z.optional(IsoTime),
  lastSeenAt: z.optional(IsoTime),
});
export type Violation = z.infer<typeof Violation>;

/**
 * How fresh one cluster's violations are. `stale`: the connection is down, the last
 * known ones are shown (with `lastSyncAt`). `countsOnly`: no connection, only the counts
 * Gatekeeper / Policy Reporter send to Prometheus. `unconfigured`: neither.
 */
export const ViolationFeedState = z.enum(['live', 'stale', 'countsOnly', 'unconfigured']);
export const ClusterViolationFeed = z.object({
  cluster: z.string(),
  state: ViolationFeedState,
  lastSyncAt: z.optional(IsoTime),
  /** Gatekeeper's status.auditTimestamp (newest over the cluster's constraints). */
  lastAuditAt: z.optional(IsoTime),
  reason: z.optional(z.string()),
});
export type ClusterViolationFeed = z.infer<typeof ClusterViolationFeed>;

/** A Gatekeeper constraint whose list is cut (status.violations[] holds at most --constraint-violations-limit, 20 by default). */
export const ViolationTruncation = z.object({
  cluster: z.string(),
  policy: z.string(),
  shown: count(),
  total: count(),
});
export type ViolationTruncation = z.infer<typeof ViolationTruncation>;

/** The brief's baseline policies (deny privileged, host network, unknown registries, latest tags, root; require limits, security context, labels, network policies, PDBs). */
export const BaselinePolicyId = z.enum([
  'deny-privileged',
  'deny-host-network',
  'allowed-registries',
  'deny-latest-tag',
  'deny-root-user',
  'require-limits',
  'require-security-context',
  'require-labels',
  'require-network-policy',
  'require-pdb',
]);
export type BaselinePolicyId = z.infer<typeof BaselinePolicyId>;

/** Per cluster and baseline policy: is it installed, by which engine, and how it acts. Missing is itself a finding. */
export const PolicyCoverage = z.object({
  cluster: z.string(),
  baseline: BaselinePolicyId,
  state: z.enum(['enforced', 'audited', 'missing', 'notReady']),
  engine: z.optional(ViolationEngine),
  /** The constraint or policy that covers it. */
  policy: z.optional(z.string()),
  action: z.optional(ViolationAction),
});
export type PolicyCoverage = z.infer<typeof PolicyCoverage>;

/**
 * Per cluster and tenant namespace: does a NetworkPolicy isolate it at least as strictly
 * as the brief's `tenant-isolation` (default deny both ways; ingress only from the own
 * tenant, the ingress controller and monitoring; egress only DNS, the own tenant and HTTPS)?
 */
export const NamespaceIsolation = z.object({
  cluster: z.string(),
  namespace: z.string(),
  tenant: z.optional(z.string()),
  state: z.enum(['isolated', 'wider', 'missing']),
  /** What is missing or wider, in words ("ingress from any namespace", "egress to 0.0.0.0/0 on every port"). */
  findings: z.array(z.string()),
  policies: z.array(z.string()),
});
export type NamespaceIsolation = z.infer<typeof NamespaceIsolation>;

/** Gatekeeper's gauge has no constraint label (by design upstream): its counts-only cells carry this policy name. */
export const GATEKEEPER_ALL_CONSTRAINTS = 'Gatekeeper (all constraints)';

/** The Prometheus series a counts-only figure comes from. */
export const ViolationMetric = z.enum(['gatekeeper_violations', 'policy_report_result', 'cluster_policy_report_result']);
export type ViolationMetric = z.infer<typeof ViolationMetric>;

/**
 * A count from the metrics a cluster without a connection sends to Prometheus / Thanos
 * (Gatekeeper's `gatekeeper_violations` by enforcement action; Policy Reporter's
 * `policy_report_result` by policy, severity and namespace, `cluster_policy_report_result`
 * by policy and severity). No resources: never rows of the list, shown as "counts only".
 * `namespace` is set only for `policy_report_result` (the others are cluster-wide).
 */
export const CountsOnlyCount = z.object({
  cluster: z.string(),
  engine: ViolationEngine,
  /** Policy Reporter's policy; `GATEKEEPER_ALL_CONSTRAINTS` for Gatekeeper. */
  policy: z.string(),
  severity: ViolationSeverity,
  action: z.optional(ViolationAction),
  namespace: z.optional(z.string()),
  count: count(),
  metric: ViolationMetric,
});
export type CountsOnlyCount = z.infer<typeof CountsOnlyCount>;
