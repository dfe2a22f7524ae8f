import { z } from 'zod';

import { Condition, IsoTime, PartialError } from './common.ts';

// Rollouts arrive in later issues; the neutral model is fixed now so the BFF's seams
// (sources, access filters, SSE topics) are shaped for them from the start.

export const RolloutSourceKind = z.enum(['demo', 'kubefleet', 'kubefleet-namespaced', 'rancher-fleet']);

export const ClusterRolloutState = z.enum(['Pending', 'Updating', 'Succeeded', 'Failed', 'Skipped', 'Unknown']);
export const ClusterRolloutStatus = z.object({
  cluster: z.string(),
  state: ClusterRolloutState,
  message: z.string().optional(),
  startedAt: IsoTime.optional(),
  finishedAt: IsoTime.optional(),
});
export type ClusterRolloutStatus = z.infer<typeof ClusterRolloutStatus>;

export const GateKind = z.enum(['Approval', 'TimedWait']);
export const GateState = z.enum(['NotStarted', 'Waiting', 'Approved', 'Elapsed', 'Unknown']);
export const Gate = z.object({
  kind: GateKind,
  position: z.enum(['before', 'after']),
  state: GateState,
  approvalName: z.string().optional(),
  waitSeconds: z.number().nonnegative().optional(),
  approvedBy: z.string().optional(),
});
export type Gate = z.infer<typeof Gate>;

export const WaveState = z.enum(['NotStarted', 'Progressing', 'AwaitingApproval', 'Waiting', 'Succeeded', 'Failed', 'Stopped', 'Unknown']);
export const Wave = z.object({
  name: z.string(),
  index: z.number().int().nonnegative(),
  state: WaveState,
  maxConcurrency: z.union([z.number().int().positive(), z.string().regex(/^\d+%$/)]).optional(),
  gates: z.array(Gate),
  clusters: z.array(ClusterRolloutStatus),
  startedAt: IsoTime.optional(),
  finishedAt: IsoTime.optional(),
});
export type Wave = z.infer<typeof Wave>;

/** The policy as the brief names it, filled from whichever fields the source has. */
export const RolloutPolicy = z.object({
  maxConcurrent: z.union([z.number().int().positive(), z.string()]).optional(),
  pauseBetweenWavesSeconds: z.number().nonnegative().optional(),
  failureThreshold: z.number().int().nonnegative().optional(),
  successThresholdPodHealthyRatio: z.number().min(0).max(1).optional(),
});

export const RolloutState = z.enum(['Initializing', 'Progressing', 'AwaitingApproval', 'Stopped', 'Succeeded', 'Failed', 'Unknown']);
export const Rollout = z.object({
  id: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  tenant: z.string().optional(),
  source: RolloutSourceKind,
  placement: z.string(),
  resourceVersion: z.string().optional(),
  state: RolloutState,
  policy: RolloutPolicy,
  waves: z.array(Wave),
  conditions: z.array(Condition),
  createdAt: IsoTime.optional(),
  errors: z.array(PartialError),
});
export type Rollout = z.infer<typeof Rollout>;

export const ApprovalDecision = z.enum(['approve', 'reject']);
export const Approval = z.object({
  rolloutId: z.string(),
  wave: z.string(),
  decision: ApprovalDecision,
  reason: z.string().min(1).max(1024),
});
export type Approval = z.infer<typeof Approval>;
