/**
 * What Fleetdeck keeps of KubeFleet's staged-update objects, whichever API version served
 * them (`v1beta1` and `v1` share one schema; a proposed API replaces `state` with
 * `suspend`). Only the fields the mapping reads are kept: at 5,000 clusters a run's raw
 * object (managedFields, snapshots of every selector) would cost far more.
 */
import type { RecordedApproval } from '@fleetdeck/shared';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface KfCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export type KfTaskType = 'Approval' | 'TimedWait' | 'Unknown';

export interface KfTaskSpec {
  type: KfTaskType;
  waitTime?: string;
}

export interface KfStageSpec {
  name: string;
  maxConcurrency?: number | string;
  beforeStageTasks: KfTaskSpec[];
  afterStageTasks: KfTaskSpec[];
}

export interface KfTaskStatus {
  type: KfTaskType;
  approvalRequestName?: string;
  conditions: KfCondition[];
}

export interface KfClusterStatus {
  clusterName: string;
  conditions: KfCondition[];
}

export interface KfStageStatus {
  stageName: string;
  startTime?: string;
  endTime?: string;
  conditions: KfCondition[];
  clusters: KfClusterStatus[];
  beforeStageTaskStatus: KfTaskStatus[];
  afterStageTaskStatus: KfTaskStatus[];
}

export type KfScope = 'cluster' | 'namespaced';
/** `Unknown`: a value this version of Fleetdeck does not know (the API moves); never acted on. */
export type KfRunState = 'Initialize' | 'Run' | 'Stop' | 'Unknown';

export interface KfRun {
  scope: KfScope;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  /** metadata.resourceVersion: an unchanged one means an unchanged object (a re-list), nothing to re-map. */
  resourceVersion?: string;
  generation?: number;
  createdAt?: string;
  /** Fleetdeck's own annotations (`fleetdeck.dev/*`) on the run: how Fleetdeck handles it (on-failure, failure threshold). */
  annotations?: Record<string, string>;
  placementName: string;
  resourceSnapshotIndex?: string;
  strategyName?: string;
  /** spec.state, or spec.suspend of the proposed API (true = Stop). Upstream's default is Initialize. */
  state: KfRunState;
  resourceSnapshotIndexUsed?: string;
  /** status.stagedUpdateStrategySnapshot.stages */
  strategyStages: KfStageSpec[];
  stages: KfStageStatus[];
  deletionStage?: KfStageStatus;
  conditions: KfCondition[];
}

export interface KfApproval {
  scope: KfScope;
  name: string;
  namespace?: string;
  /** metadata.resourceVersion: the precondition of an approval written straight from what the informer holds. */
  resourceVersion?: string;
  generation?: number;
  createdAt?: string;
  /** spec.parentStageRollout, else the `kubernetes-fleet.io/targetupdaterun` label. */
  run?: string;
  /** spec.targetStage, else the `kubernetes-fleet.io/targetUpdatingStage` label. */
  stage?: string;
  conditions: KfCondition[];
  /** The approver policy's partial approvals, from the `fleetdeck.dev/approvals` annotation (oldest first). */
  recordedApprovals?: RecordedApproval[];
  /** Why that annotation was ignored, when it was (too large, not a list of approvals). */
  recordedApprovalsError?: string;
}

/** The key of a run or of the run an approval request belongs to: scope, namespace, name. */
export function runKey(scope: KfScope, namespace: string | undefined, name: string): string {
  return `${scope}/${namespace ?? ''}/${name}`;
}

/** A condition looked up by type (the controller rewrites them; their order means nothing). */
export function conditionOf(list: readonly KfCondition[] | undefined, type: string): KfCondition | undefined {
  return list?.find((c) => c.type === type);
}

export function isTrue(list: readonly KfCondition[] | undefined, type: string): boolean {
  return conditionOf(list, type)?.status === 'True';
}
