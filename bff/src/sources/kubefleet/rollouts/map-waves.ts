import type { ClusterRolloutStatus, Gate, RolloutProgress, Wave } from '@fleetdeck/shared';

import { parseApprovalMessage, parseGoDuration } from './approval-message.ts';
import {
  conditionOf,
  isTrue,
  type KfApproval,
  type KfClusterStatus,
  type KfCondition,
  type KfStageSpec,
  type KfStageStatus,
  type KfTaskStatus,
} from './kf-objects.ts';

/** A time the model accepts (ISO with offset), or nothing: a malformed upstream time is dropped, never thrown on. */
export function isoTime(t: string | undefined): string | undefined {
  if (!t || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(t) || Number.isNaN(Date.parse(t))) return undefined;
  return t;
}

function clusterState(c: KfClusterStatus): Pick<ClusterRolloutStatus, 'state' | 'message' | 'startedAt' | 'finishedAt'> {
  const started = conditionOf(c.conditions, 'Started');
  const succeeded = conditionOf(c.conditions, 'Succeeded');
  const startedAt = started?.status === 'True' ? isoTime(started.lastTransitionTime) : undefined;
  const finishedAt = succeeded && succeeded.status !== 'Unknown' ? isoTime(succeeded.lastTransitionTime) : undefined;
  const times = { ...(startedAt && { startedAt }), ...(finishedAt && { finishedAt }) };
  if (succeeded?.status === 'True') return { state: 'Succeeded', ...times };
  if (succeeded?.status === 'False') return { state: 'Failed', ...(succeeded.message && { message: succeeded.message }), ...times };
  if (started?.status === 'True') return { state: 'Updating', ...times };
  if (!started && !succeeded) return { state: 'Pending' };
  return { state: 'Unknown', ...times };
}

export function progressOf(clusters: readonly ClusterRolloutStatus[]): RolloutProgress {
  return {
    total: clusters.length,
    succeeded: clusters.filter((c) => c.state === 'Succeeded').length,
    failed: clusters.filter((c) => c.state === 'Failed').length,
    updating: clusters.filter((c) => c.state === 'Updating').length,
  };
}

/** When the stage's clusters were all done: the newest Succeeded transition among them. */
function clustersDoneAt(stage: KfStageStatus): string | undefined {
  if (stage.clusters.length === 0 || !stage.clusters.every((c) => isTrue(c.conditions, 'Succeeded'))) return undefined;
  const times = stage.clusters
    .map((c) => isoTime(conditionOf(c.conditions, 'Succeeded')?.lastTransitionTime))
    .filter((t) => t !== undefined);
  return times.length ? times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : undefined;
}

function approvalGate(task: KfTaskStatus, position: 'before' | 'after', approvals: ReadonlyMap<string, KfApproval>): Gate {
  const request = task.approvalRequestName ? approvals.get(task.approvalRequestName) : undefined;
  const approved = conditionOf(request?.conditions, 'Approved');
  const approvedNow = approved?.status === 'True' && approved.observedGeneration === request?.generation;
  const accepted = isTrue(request?.conditions, 'ApprovalAccepted') || isTrue(task.conditions, 'ApprovalRequestApproved');
  const created = conditionOf(task.conditions, 'ApprovalRequestCreated');
  const waitingSince = isoTime(created?.status === 'True' ? created.lastTransitionTime : undefined) ?? isoTime(request?.createdAt);
  const base: Gate = {
    kind: 'Approval',
    position,
    state: 'NotStarted',
    ...(task.approvalRequestName && { approvalName: task.approvalRequestName }),
    ...(waitingSince && { waitingSince }),
  };
  if (approvedNow || isTrue(task.conditions, 'ApprovalRequestApproved')) {
    const who = approved?.status === 'True' ? parseApprovalMessage(approved.reason, approved.message) : undefined;
    const approvedAt = approved?.status === 'True' ? isoTime(approved.lastTransitionTime) : undefined;
    return { ...base, state: 'Approved', accepted, ...(approvedAt && { approvedAt }), ...who };
  }
  if (request || created?.status === 'True') return { ...base, state: 'Waiting', accepted: false };
  return base;
}

function timedWaitGate(task: KfTaskStatus, spec: KfStageSpec | undefined, stage: KfStageStatus): Gate {
  const waitSeconds = parseGoDuration(spec?.afterStageTasks.find((t) => t.type === 'TimedWait')?.waitTime);
  const waitingCond = conditionOf(stage.conditions, 'Progressing');
  const since =
    (waitingCond?.reason === 'StageUpdatingWaiting' ? isoTime(waitingCond.lastTransitionTime) : undefined) ?? clustersDoneAt(stage);
  const elapsesAt = since && waitSeconds !== undefined ? new Date(Date.parse(since) + waitSeconds * 1000).toISOString() : undefined;
  const times = {
    ...(waitSeconds !== undefined && { waitSeconds }),
    ...(since && { waitingSince: since }),
    ...(elapsesAt && { elapsesAt }),
  };
  // WaitTimeElapsed is only ever written True: before that, the countdown is ours to compute.
  if (isTrue(task.conditions, 'WaitTimeElapsed')) return { kind: 'TimedWait', position: 'after', state: 'Elapsed', ...times };
  if (since && !isTrue(stage.conditions, 'Succeeded')) return { kind: 'TimedWait', position: 'after', state: 'Waiting', ...times };
  return { kind: 'TimedWait', position: 'after', state: 'NotStarted', ...(waitSeconds !== undefined && { waitSeconds }) };
}

function gatesOf(stage: KfStageStatus, spec: KfStageSpec | undefined, approvals: ReadonlyMap<string, KfApproval>): Gate[] {
  const one = (task: KfTaskStatus, position: 'before' | 'after'): Gate => {
    if (task.type === 'Approval') return approvalGate(task, position, approvals);
    if (task.type === 'TimedWait' && position === 'after') return timedWaitGate(task, spec, stage);
    return { kind: task.type === 'TimedWait' ? 'TimedWait' : 'Approval', position, state: 'Unknown' };
  };
  return [...stage.beforeStageTaskStatus.map((t) => one(t, 'before')), ...stage.afterStageTaskStatus.map((t) => one(t, 'after'))];
}

function waveState(stage: KfStageStatus, gates: readonly Gate[], clusters: readonly ClusterRolloutStatus[]): Wave['state'] {
  const succeeded = conditionOf(stage.conditions, 'Succeeded');
  const progressing = conditionOf(stage.conditions, 'Progressing');
  if (succeeded?.status === 'True') return 'Succeeded';
  if (succeeded?.status === 'False' || progressing?.reason === 'StageUpdatingFailed' || clusters.some((c) => c.state === 'Failed'))
    return 'Failed';
  if (progressing?.reason === 'StageUpdatingStopping' || progressing?.reason === 'StageUpdatingStopped') return 'Stopped';
  if (gates.some((g) => g.kind === 'Approval' && g.state === 'Waiting')) return 'AwaitingApproval';
  if (gates.some((g) => g.kind === 'TimedWait' && g.state === 'Waiting') || progressing?.reason === 'StageUpdatingWaiting')
    return 'Waiting';
  if (progressing?.status === 'True' || clusters.some((c) => c.state === 'Updating' || c.state === 'Succeeded')) return 'Progressing';
  if (!progressing && !succeeded) return 'NotStarted';
  return 'Unknown';
}

function waveMessage(stage: KfStageStatus): string | undefined {
  const c: KfCondition | undefined = conditionOf(stage.conditions, 'Succeeded') ?? conditionOf(stage.conditions, 'Progressing');
  return c?.message || undefined;
}

/** One wave per stage, in status order; `maxConcurrency` from the strategy snapshot the run took. */
export function mapWave(
  stage: KfStageStatus,
  index: number,
  spec: KfStageSpec | undefined,
  approvals: ReadonlyMap<string, KfApproval>,
): Wave {
  const clusters: ClusterRolloutStatus[] = stage.clusters.map((c) => ({ cluster: c.clusterName, ...clusterState(c) }));
  const gates = gatesOf(stage, spec, approvals);
  const startedAt = isoTime(stage.startTime);
  const finishedAt = isoTime(stage.endTime);
  const message = waveMessage(stage);
  return {
    name: stage.stageName,
    index,
    state: waveState(stage, gates, clusters),
    ...(spec?.maxConcurrency !== undefined && validConcurrency(spec.maxConcurrency) && { maxConcurrency: spec.maxConcurrency }),
    gates,
    clusters,
    hiddenClusters: 0,
    progress: progressOf(clusters),
    ...(startedAt && { startedAt }),
    ...(finishedAt && { finishedAt }),
    ...(message && { message }),
  };
}

/** The model takes a positive integer or "N%"; anything else the API moved to is not shown as a limit. */
export function validConcurrency(v: number | string): boolean {
  return typeof v === 'number' ? Number.isInteger(v) && v > 0 : /^\d+%$/.test(v);
}
