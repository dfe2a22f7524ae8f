import { z } from 'zod/mini';

import { Condition, IsoTime, PartialError } from './common.ts';
import { count } from './numbers.ts';

// Rollouts arrive in later issues; the neutral model is fixed now so the BFF's seams
// (sources, access filters, SSE topics) are shaped for them from the start.

export const RolloutSourceKind = z.enum(['demo', 'kubefleet', 'kubefleet-namespaced', 'rancher-fleet']);

export const ClusterRolloutState = z.enum(['Pending', 'Updating', 'Succeeded', 'Failed', 'Skipped', 'Unknown']);
export const ClusterRolloutStatus = z.object({
  cluster: z.string(),
  state: ClusterRolloutState,
  message: z.optional(z.string()),
  startedAt: z.optional(IsoTime),
  finishedAt: z.optional(IsoTime),
});
export type ClusterRolloutStatus = z.infer<typeof ClusterRolloutStatus>;

export const GateKind = z.enum(['Approval', 'TimedWait']);
export const GateState = z.enum(['NotStarted', 'Waiting', 'Approved', 'Elapsed', 'Unknown']);
export const Gate = z.object({
  kind: GateKind,
  position: z.enum(['before', 'after']),
  state: GateState,
  approvalName: z.optional(z.string()),
  waitSeconds: z.optional(z.number().check(z.nonnegative())),
  approvedBy: z.optional(z.string()),
});
export type Gate = z.infer<typeof Gate>;

export const WaveState = z.enum(['NotStarted', 'Progressing', 'AwaitingApproval', 'Waiting', 'Succeeded', 'Failed', 'Stopped', 'Unknown']);
export const Wave = z.object({
  name: z.string(),
  index: count(),
  state: WaveState,
  maxConcurrency: z.optional(z.union([z.number().check(z.int(), z.positive()), z.string().check(z.regex(/^\d+%$/))])),
  gates: z.array(Gate),
  clusters: z.array(ClusterRolloutStatus),
  startedAt: z.optional(IsoTime),
  finishedAt: z.optional(IsoTime),
});
export type Wave = z.infer<typeof Wave>;

/** The policy as the brief names it, filled from whichever fields the source has. */
export const RolloutPolicy = z.object({
  maxConcurrent: z.optional(z.union([z.number().check(z.int(), z.positive()), z.string()])),
  pauseBetweenWavesSeconds: z.optional(z.number().check(z.nonnegative())),
  failureThreshold: z.optional(count()),
  successThresholdPodHealthyRatio: z.optional(z.number().check(z.gte(0), z.lte(1))),
});

export const RolloutState = z.enum(['Initializing', 'Progressing', 'AwaitingApproval', 'Stopped', 'Succeeded', 'Failed', 'Unknown']);
export const Rollout = z.object({
  id: z.string(),
  name: z.string(),
  namespace: z.optional(z.string()),
  tenant: z.optional(z.string()),
  source: RolloutSourceKind,
  placement: z.string(),
  resourceVersion: z.optional(z.string()),
  state: RolloutState,
  policy: RolloutPolicy,
  waves: z.array(Wave),
  conditions: z.array(Condition),
  createdAt: z.optional(IsoTime),
  errors: z.array(PartialError),
});
export type Rollout = z.infer<typeof Rollout>;

export const ApprovalDecision = z.enum(['approve', 'reject']);
export const Approval = z.object({
  rolloutId: z.string(),
  wave: z.string(),
  decision: ApprovalDecision,
  reason: z.string().check(z.minLength(1), z.maxLength(1024)),
});
export type Approval = z.infer<typeof Approval>;
