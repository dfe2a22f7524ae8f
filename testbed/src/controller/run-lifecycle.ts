/**
 * The KubeFleet stand-in's run lifecycle, pure: the finalizer upstream puts on every
 * staged update run, and what deleting a run must clean up (its approval requests).
 */
export const RUN_FINALIZER = 'kubernetes-fleet.io/stagedupdaterun-finalizer';
// Upstream's TargetUpdateRunLabel is all lowercase (fleetPrefix + "targetupdaterun"), unlike its sibling labels.
export const LABEL_RUN = 'kubernetes-fleet.io/targetupdaterun';
export const LABEL_STAGE = 'kubernetes-fleet.io/targetUpdatingStage';
export const LABEL_TASK = 'kubernetes-fleet.io/taskType';
export const LABEL_LATEST = 'kubernetes-fleet.io/isLatestUpdateRunApproval';

export interface RunMeta {
  metadata: { name: string; deletionTimestamp?: string; finalizers?: string[] };
}
export interface ApprovalMeta {
  metadata: { name: string; labels?: Record<string, string> };
}

export type LifecycleStep =
  | { kind: 'addFinalizer' }
  /** Deleting: delete these approval requests, then drop the finalizer. */
  | { kind: 'cleanUp'; deleteApprovals: string[] }
  /** Deleting and not ours to hold (no finalizer): leave it alone. */
  | { kind: 'gone' }
  | { kind: 'advance' };

/** `approvals`: the approval requests in the run's scope (its namespace, or cluster-scoped). */
export function lifecycleStep(run: RunMeta, approvals: readonly ApprovalMeta[]): LifecycleStep {
  const ours = run.metadata.finalizers?.includes(RUN_FINALIZER) ?? false;
  if (run.metadata.deletionTimestamp) {
    if (!ours) return { kind: 'gone' };
    return {
      kind: 'cleanUp',
      deleteApprovals: approvals.filter((a) => a.metadata.labels?.[LABEL_RUN] === run.metadata.name).map((a) => a.metadata.name),
    };
  }
  return ours ? { kind: 'advance' } : { kind: 'addFinalizer' };
}

export function approvalLabels(run: string, stage: string, taskType: 'beforeStage' | 'afterStage'): Record<string, string> {
  return { [LABEL_RUN]: run, [LABEL_STAGE]: stage, [LABEL_TASK]: taskType, [LABEL_LATEST]: 'true' };
}
