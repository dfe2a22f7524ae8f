/**
 * The pure core of the testbed's **KubeFleet stand-in**: what KubeFleet's hub controller
 * would write next for a staged update run, given the objects and the time. It simulates
 * an external controller for tests; it is not part of Fleetdeck.
 */
import { findCondition as cond, isTrue, setCondition, type Condition, type LooseCondition } from './conditions.ts';
import { initialize } from './initialize.ts';
import { concurrencyOf, parseGoDuration, type LabelSelector } from './selectors.ts';

export { approvalName } from './initialize.ts';

export type { Condition } from './conditions.ts';

export interface StageTask {
  type: string;
  waitTime?: string;
}
export interface Stage {
  name: string;
  labelSelector?: LabelSelector;
  sortingLabelKey?: string;
  maxConcurrency?: number | string;
  beforeStageTasks?: StageTask[];
  afterStageTasks?: StageTask[];
}
export interface TaskStatus {
  type: string;
  approvalRequestName?: string;
  conditions: Condition[];
}
export interface ClusterStatus {
  clusterName: string;
  conditions: Condition[];
}
export interface StageStatus {
  stageName: string;
  startTime?: string;
  endTime?: string;
  conditions: Condition[];
  clusters: ClusterStatus[];
  beforeStageTaskStatus: TaskStatus[];
  afterStageTaskStatus: TaskStatus[];
}
export interface RunStatus {
  policyObservedClusterCount?: number;
  resourceSnapshotIndexUsed?: string;
  stagedUpdateStrategySnapshot?: { stages: Stage[] };
  stagesStatus?: StageStatus[];
  conditions?: Condition[];
}
export interface RunObject {
  metadata: { name: string; namespace?: string; generation?: number; resourceVersion?: string };
  spec: { placementName?: string; resourceSnapshotIndex?: string; stagedRolloutStrategyName?: string; state?: string };
  status?: RunStatus;
}
export interface ApprovalObject {
  metadata: { name: string; generation?: number };
  status?: { conditions?: LooseCondition[] };
}
export interface MemberClusterRef {
  name: string;
  labels: Record<string, string>;
}
export interface ApprovalToCreate {
  name: string;
  stage: string;
  taskType: 'beforeStage' | 'afterStage';
}

export interface AdvanceInput {
  run: RunObject;
  strategy: { stages: Stage[] } | undefined;
  clusters: readonly MemberClusterRef[];
  /** The approval requests in the run's scope, by name. */
  approvals: ReadonlyMap<string, ApprovalObject>;
  now: Date;
  secondsPerCluster: number;
  failClusters?: ReadonlySet<string>;
}

export interface AdvanceResult {
  status: RunStatus;
  approvalsToCreate: ApprovalToCreate[];
  /** Approval requests to answer with ApprovalAccepted=True. */
  approvalsToAccept: string[];
}

/**
 * `"true"`: the cluster fails and its stage and run fail with it (KubeFleet's
 * ClusterUpdatingFailed). `"keep-going"`: the cluster fails but the run goes on with the
 * others, as KubeFleet does when an apply error may be recoverable: only a rule that
 * watches the failures (Fleetdeck's failure threshold) halts it.
 */
export const FAIL_LABEL = 'fleetdeck.dev/testbed-fail';

/** Approved=True counts only when written for the request's current generation. */
export const approvedNow = (a: ApprovalObject | undefined): boolean =>
  !!a?.status?.conditions?.some((c) => c.type === 'Approved' && c.status === 'True' && c.observedGeneration === a.metadata.generation);

export function advance(input: AdvanceInput): AdvanceResult {
  const { run } = input;
  const now = input.now.toISOString();
  const nowMs = input.now.getTime();
  const gen = run.metadata.generation;
  const status: RunStatus = structuredClone(run.status ?? {});
  status.conditions ??= [];
  const result: AdvanceResult = { status, approvalsToCreate: [], approvalsToAccept: [] };
  const runConds = status.conditions;
  const setRun = (type: string, s: Condition['status'], reason: string, message?: string) =>
    setCondition(runConds, type, s, reason, now, gen, message);

  if (!status.stagesStatus) {
    if (!input.strategy) {
      setRun('Initialized', 'False', 'UpdateRunInitializedFailed', `strategy ${run.spec.stagedRolloutStrategyName ?? ''} not found`);
      return result;
    }
    initialize(run, input.strategy.stages, input.clusters, status);
    setRun('Initialized', 'True', 'UpdateRunInitializedSuccessfully');
  }
  // Every condition carries the generation the controller last saw.
  for (const c of runConds) c.observedGeneration = gen;
  if (cond(runConds, 'Succeeded')) return result;
  const state = run.spec.state ?? 'Initialize';
  if (state !== 'Run' && state !== 'Stop') return result;
  const stopping = state === 'Stop';

  const stages = status.stagedUpdateStrategySnapshot?.stages ?? [];
  const current = status.stagesStatus!.find((s) => !isTrue(s.conditions, 'Succeeded'));
  if (!current) {
    setRun('Progressing', 'False', 'UpdateRunSucceeded');
    setRun('Succeeded', 'True', 'UpdateRunSucceeded');
    return result;
  }
  const stage = stages.find((s) => s.name === current.stageName) ?? { name: current.stageName };
  const setStage = (type: string, s: Condition['status'], reason: string, message?: string) =>
    setCondition(current.conditions, type, s, reason, now, gen, message);
  const stop = (inFlight: number) => {
    setStage('Progressing', 'False', inFlight > 0 ? 'StageUpdatingStopping' : 'StageUpdatingStopped');
    setRun(
      'Progressing',
      'False',
      inFlight > 0 ? 'UpdateRunStopping' : 'UpdateRunStopped',
      inFlight > 0 ? `stopping: ${inFlight} cluster(s) still updating` : 'the run was stopped (spec.state: Stop)',
    );
    return result;
  };
  const waiting = (message: string) => {
    setStage('Progressing', 'False', 'StageUpdatingWaiting');
    setRun('Progressing', 'False', 'UpdateRunWaiting', message);
    return result;
  };

  // An approval gate: request it when reached (again if deleted), accept Approved=True of the current generation.
  const approvalDone = (task: TaskStatus, position: 'before' | 'after'): boolean => {
    const name = task.approvalRequestName!;
    const approval = input.approvals.get(name);
    const accept = () => {
      if (!approval?.status?.conditions?.some((c) => c.type === 'ApprovalAccepted' && c.status === 'True'))
        result.approvalsToAccept.push(name);
    };
    // Once accepted it cannot be reverted: un-approving afterwards is ignored.
    if (isTrue(task.conditions, 'ApprovalRequestApproved')) {
      if (approvedNow(approval)) accept();
      return true;
    }
    if (!approval) {
      result.approvalsToCreate.push({ name, stage: current.stageName, taskType: position === 'before' ? 'beforeStage' : 'afterStage' });
      setCondition(task.conditions, 'ApprovalRequestCreated', 'True', 'ApprovalRequestCreated', now, gen);
      return false;
    }
    if (!approvedNow(approval)) return false;
    accept();
    setCondition(task.conditions, 'ApprovalRequestApproved', 'True', 'ApprovalRequestApproved', now, gen);
    return true;
  };

  if (!current.startTime) {
    if (stopping) return stop(0);
    for (const task of current.beforeStageTaskStatus) {
      if (task.type === 'Approval' && !approvalDone(task, 'before'))
        return waiting(`waiting for approval ${task.approvalRequestName} (before stage ${current.stageName})`);
    }
    current.startTime = now;
  }

  const failLabel = (name: string) => input.clusters.find((c) => c.name === name)?.labels[FAIL_LABEL];
  const fails = (name: string) => input.failClusters?.has(name) || failLabel(name) === 'true' || failLabel(name) === 'keep-going';
  // In-flight clusters finish even while stopping.
  for (const c of current.clusters) {
    const started = cond(c.conditions, 'Started');
    if (started?.status !== 'True' || cond(c.conditions, 'Succeeded')) continue;
    if (nowMs - Date.parse(started.lastTransitionTime) < input.secondsPerCluster * 1000) continue;
    if (!fails(c.clusterName)) {
      setCondition(c.conditions, 'Succeeded', 'True', 'ClusterUpdatingSucceeded', now, gen);
      continue;
    }
    setCondition(c.conditions, 'Succeeded', 'False', 'ClusterUpdatingFailed', now, gen, 'the testbed seeded this cluster to fail');
    if (failLabel(c.clusterName) === 'keep-going') continue;
    // A stage stops on its first failed cluster, and so does the run.
    setStage('Progressing', 'False', 'StageUpdatingFailed');
    setStage('Succeeded', 'False', 'StageUpdatingFailed', `cluster ${c.clusterName} failed`);
    setRun('Progressing', 'False', 'UpdateRunFailed');
    setRun('Succeeded', 'False', 'UpdateRunFailed', `stage ${current.stageName}: cluster ${c.clusterName} failed`);
    return result;
  }
  let inFlight = current.clusters.filter((c) => isTrue(c.conditions, 'Started') && !cond(c.conditions, 'Succeeded')).length;
  if (!stopping) {
    const limit = concurrencyOf(stage.maxConcurrency, current.clusters.length);
    for (const c of current.clusters) {
      if (inFlight >= limit) break;
      if (cond(c.conditions, 'Started')) continue;
      setCondition(c.conditions, 'Started', 'True', 'ClusterUpdatingStarted', now, gen);
      inFlight++;
    }
  }
  if (!current.clusters.every((c) => isTrue(c.conditions, 'Succeeded'))) {
    if (stopping) return stop(inFlight);
    setStage('Progressing', 'True', 'StageUpdatingStarted');
    setRun('Progressing', 'True', 'UpdateRunProgressing');
    return result;
  }
  if (stopping) return stop(0);

  if (current.afterStageTaskStatus.length > 0) {
    // The wait counts from when the stage began waiting (its Progressing=False transition).
    setStage('Progressing', 'False', 'StageUpdatingWaiting');
    const since = Date.parse(cond(current.conditions, 'Progressing')!.lastTransitionTime);
    const pending: string[] = [];
    for (const task of current.afterStageTaskStatus) {
      if (task.type === 'TimedWait') {
        if (isTrue(task.conditions, 'WaitTimeElapsed')) continue;
        const wait = parseGoDuration(stage.afterStageTasks?.find((t) => t.type === 'TimedWait')?.waitTime ?? '0s');
        if (nowMs - since < wait * 1000) pending.push(`waiting ${wait}s after stage ${current.stageName}`);
        else setCondition(task.conditions, 'WaitTimeElapsed', 'True', 'AfterStageTaskWaitTimeElapsed', now, gen);
      } else if (task.type === 'Approval' && !approvalDone(task, 'after')) {
        pending.push(`waiting for approval ${task.approvalRequestName} (after stage ${current.stageName})`);
      }
    }
    if (pending.length > 0) return waiting(pending.join('; '));
  }
  current.endTime = now;
  setStage('Progressing', 'False', 'StageUpdatingSucceeded');
  setStage('Succeeded', 'True', 'StageUpdatingSucceeded');
  setRun('Progressing', 'True', 'UpdateRunProgressing');
  return result;
}
