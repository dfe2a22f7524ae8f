import type {
  Condition,
  PartialError,
  RecordedApproval,
  RollbackPlan,
  Rollout,
  RolloutHistoryEntry,
  RolloutPolicy,
  RolloutState,
  Wave,
} from '@fleetdeck/shared';

import { withFailureThreshold } from '../../rollouts/failure-threshold.ts';
import { rolloutId, type SourceRollout } from '../../rollouts/rollout-source.ts';
import { parseApprovalMessage, parseGoDuration } from './approval-message.ts';
import { conditionOf, type KfApproval, type KfCondition, type KfRun, type KfStageSpec } from './kf-objects.ts';
import { isoTime, mapWave, progressOf, validConcurrency } from './map-waves.ts';

export interface MapInput {
  run: KfRun;
  /** The run's approval requests by name. */
  approvals: ReadonlyMap<string, KfApproval>;
  /** resourceSnapshotIndexUsed of the newest earlier succeeded run of the same placement and scope (see `rollbackTarget`). */
  rollbackTo?: string;
  tenantForNamespace(ns: string): string | undefined;
}

function runState(run: KfRun, waves: readonly Wave[]): RolloutState {
  const initialized = conditionOf(run.conditions, 'Initialized');
  const progressing = conditionOf(run.conditions, 'Progressing');
  const succeeded = conditionOf(run.conditions, 'Succeeded');
  if (succeeded?.status === 'True') return 'Succeeded';
  if (succeeded?.status === 'False' || progressing?.reason === 'UpdateRunFailed') return 'Failed';
  if (initialized?.status === 'False') return initialized.reason === 'UpdateRunInitializedFailed' ? 'Failed' : 'Initializing';
  if (run.state === 'Stop' || progressing?.reason === 'UpdateRunStopping' || progressing?.reason === 'UpdateRunStopped') return 'Stopped';
  if (!initialized || run.state === 'Initialize') return 'Initializing';
  if (waves.some((w) => w.state === 'AwaitingApproval')) return 'AwaitingApproval';
  if (progressing?.reason === 'UpdateRunWaiting' || waves.some((w) => w.state === 'Waiting')) return 'Waiting';
  if (progressing?.status === 'True' || (initialized.status === 'True' && run.state === 'Run')) return 'Progressing';
  return 'Unknown';
}

const agreed = <T>(values: readonly T[]): T | undefined =>
  values.length > 0 && values.every((v) => v === values[0]) ? values[0] : undefined;

/** The policy as the snapshot states it: a value is shown only when every stage agrees on it. */
function policyOf(stages: readonly KfStageSpec[]): RolloutPolicy {
  const sourceFields: Record<string, string> = {};
  const agreedConcurrency = agreed(stages.map((s) => s.maxConcurrency));
  const maxConcurrent = agreedConcurrency !== undefined && validConcurrency(agreedConcurrency) ? agreedConcurrency : undefined;
  if (maxConcurrent !== undefined) sourceFields.maxConcurrent = 'status.stagedUpdateStrategySnapshot.stages[].maxConcurrency';
  // A pause between waves only when every stage but the last waits, and all for the same time.
  const waits = stages.slice(0, -1).map((s) => parseGoDuration(s.afterStageTasks.find((t) => t.type === 'TimedWait')?.waitTime));
  const pause = waits.every((w) => w !== undefined) ? agreed(waits) : undefined;
  if (pause !== undefined)
    sourceFields.pauseBetweenWavesSeconds = 'status.stagedUpdateStrategySnapshot.stages[].afterStageTasks[type=TimedWait].waitTime';
  return {
    ...(maxConcurrent !== undefined && { maxConcurrent }),
    ...(pause !== undefined && { pauseBetweenWavesSeconds: pause }),
    sourceFields,
  };
}

function conditionsOf(list: readonly KfCondition[]): Condition[] {
  return list.map((c) => {
    const at = isoTime(c.lastTransitionTime);
    return {
      type: c.type,
      status: c.status,
      ...(c.reason && { reason: c.reason }),
      ...(c.message && { message: c.message }),
      ...(at && { lastTransitionTime: at }),
    };
  });
}

function newest(times: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times) if (t && (!best || Date.parse(t) > Date.parse(best))) best = t;
  return best;
}

/** What an approval recorded by the approver policy adds to a history entry: the not-ready reason and what was seen. */
const notReadyOf = (a: RecordedApproval | undefined) => ({
  ...(a?.notReadyReason !== undefined && { notReadyReason: a.notReadyReason }),
  ...(a?.readiness !== undefined && { readiness: a.readiness }),
});

function historyOf(run: KfRun, approvals: ReadonlyMap<string, KfApproval>): RolloutHistoryEntry[] {
  const entries: RolloutHistoryEntry[] = [];
  for (const a of approvals.values()) {
    const wave = a.stage ?? stageOfApproval(run, a.name);
    const approved = conditionOf(a.conditions, 'Approved');
    const at = isoTime(approved?.lastTransitionTime);
    const who = approved?.status === 'True' ? parseApprovalMessage(approved.reason, approved.message) : undefined;
    const recorded = a.recordedApprovals ?? [];
    // The approver who released the gate appears once, as the condition's entry (with their recorded reason).
    for (const r of recorded) {
      if (r.user === who?.approvedBy) continue;
      entries.push({
        at: r.at,
        actor: r.user,
        action: 'approve',
        ...(wave && { wave }),
        result: 'counted',
        ...(r.comment !== undefined && { comment: r.comment }),
        ...notReadyOf(r),
        from: 'upstream',
      });
    }
    if (approved?.status !== 'True' || !at) continue;
    const accepted = conditionOf(a.conditions, 'ApprovalAccepted')?.status === 'True';
    entries.push({
      at,
      // KubeFleet records no approver; only what Fleetdeck wrote into the message names one.
      actor: who?.approvedBy ?? 'unknown (approved outside Fleetdeck)',
      action: 'approve',
      ...(wave && { wave }),
      result: accepted ? 'accepted' : 'approved',
      ...(who?.comment && { comment: who.comment }),
      ...notReadyOf(who ? recorded.find((r) => r.user === who.approvedBy) : undefined),
      from: 'upstream',
    });
  }
  return entries.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
}

/**
 * Per wave, the approvals recorded on its waiting approval request (before-stage first), else
 * on the last one it had; and a partial error per request whose annotation was ignored.
 */
function recordedOf(waves: readonly Wave[], approvals: ReadonlyMap<string, KfApproval>) {
  const recorded: Record<string, readonly RecordedApproval[]> = {};
  const errors: PartialError[] = [];
  for (const w of waves) {
    const gates = w.gates.filter((g) => g.kind === 'Approval' && g.approvalName);
    const gate =
      gates.find((g) => g.state === 'Waiting' && g.position === 'before') ?? gates.find((g) => g.state === 'Waiting') ?? gates.at(-1);
    const request = gate?.approvalName ? approvals.get(gate.approvalName) : undefined;
    if (request?.recordedApprovals?.length) recorded[w.name] = request.recordedApprovals;
  }
  for (const a of approvals.values())
    if (a.recordedApprovalsError) errors.push({ source: 'kubefleet', reason: `approval request ${a.name}: ${a.recordedApprovalsError}` });
  return { recorded, errors };
}

function stageOfApproval(run: KfRun, name: string): string | undefined {
  return run.stages.find((s) => [...s.beforeStageTaskStatus, ...s.afterStageTaskStatus].some((t) => t.approvalRequestName === name))
    ?.stageName;
}

/**
 * Rolling back = a new run with the snapshot an earlier run delivered. Without an earlier
 * succeeded run of this placement there is nothing known-good to return to: no plan.
 */
function rollbackOf(run: KfRun, waves: readonly Wave[], revision: string | undefined, to: string | undefined): RollbackPlan | undefined {
  if (to === undefined) return undefined;
  const clusters = waves.flatMap((w) => w.clusters.filter((c) => c.state === 'Succeeded' || c.state === 'Updating').map((c) => c.cluster));
  return {
    toRevision: to,
    ...(revision !== undefined && { fromRevision: revision }),
    clusters,
    hiddenClusters: 0,
    note:
      `A new run of placement ${run.placementName} returns it to resource snapshot ${to}, stage by stage with the same strategy ` +
      '(its approvals and waits apply again). Clusters already updated stay updated until the new run reaches them.',
  };
}

export function mapRun(input: MapInput): SourceRollout {
  const { run, approvals } = input;
  const specs = new Map(run.strategyStages.map((s) => [s.name, s]));
  const stages = [...run.stages, ...(run.deletionStage ? [run.deletionStage] : [])];
  const waves = stages.map((s, i) => mapWave(s, i, specs.get(s.stageName), approvals));
  const clusters = waves.flatMap((w) => w.clusters);
  const state = runState(run, waves);
  const revision = run.resourceSnapshotIndexUsed ?? run.resourceSnapshotIndex;
  const current = waves.find((w) => w.state !== 'Succeeded' && w.state !== 'NotStarted');
  const waiting = waves.flatMap((w) =>
    w.gates.filter((g) => g.kind === 'Approval' && g.state === 'Waiting').map((g) => ({ wave: w.name, position: g.position })),
  )[0];
  const progressing = conditionOf(run.conditions, 'Progressing');
  const succeeded = conditionOf(run.conditions, 'Succeeded');
  const initialized = conditionOf(run.conditions, 'Initialized');
  const message =
    (succeeded?.status === 'False' ? succeeded.message : undefined) ??
    progressing?.message ??
    succeeded?.message ??
    (initialized?.status === 'False' ? initialized.message : undefined);
  const createdAt = isoTime(run.createdAt);
  const updatedAt = newest([
    ...run.conditions.map((c) => isoTime(c.lastTransitionTime)),
    ...stages.flatMap((s) => [...s.conditions, ...s.clusters.flatMap((c) => c.conditions)].map((c) => isoTime(c.lastTransitionTime))),
  ]);
  const tenant = run.namespace ? input.tenantForNamespace(run.namespace) : undefined;
  const rollback = rollbackOf(run, waves, revision, input.rollbackTo);
  const recorded = recordedOf(waves, approvals);
  const rollout: Omit<Rollout, 'actions' | 'approveWaves' | 'redacted' | 'hiddenClusters' | 'awaitingApproval'> = {
    id: rolloutId(run.scope === 'cluster' ? 'kubefleet' : 'kubefleet-namespaced', run.namespace, run.name),
    name: run.name,
    ...(run.namespace && { namespace: run.namespace }),
    ...(tenant && { tenant }),
    source: run.scope === 'cluster' ? 'kubefleet' : 'kubefleet-namespaced',
    target: run.placementName,
    ...(revision !== undefined && { revision }),
    state,
    ...(current && { currentWave: current.name }),
    progress: progressOf(clusters),
    ...(createdAt && { createdAt }),
    ...(updatedAt && { updatedAt }),
    ...(message && { message }),
    policy: withFailureThreshold(policyOf(run.strategyStages), run.annotations),
    waves,
    conditions: conditionsOf(run.conditions),
    ...(rollback && { rollback }),
    history: historyOf(run, approvals),
    errors: recorded.errors,
  };
  return {
    ...rollout,
    ...(Object.keys(recorded.recorded).length > 0 && { recordedApprovals: recorded.recorded }),
    ...(waiting && { awaitingApproval: waiting }),
    ...(run.annotations && { annotations: run.annotations }),
    object: {
      apiVersion: run.apiVersion,
      kind: run.kind,
      name: run.name,
      ...(run.namespace && { namespace: run.namespace }),
      ...(run.uid && { uid: run.uid }),
    },
    touches: [...new Set(clusters.map((c) => c.cluster))],
  };
}

/**
 * The snapshot a roll back returns to: the one the newest earlier run of the same
 * placement (same scope and namespace) delivered successfully, if it differs from this run's.
 */
export function rollbackTarget(run: KfRun, others: Iterable<KfRun>): string | undefined {
  const mine = run.resourceSnapshotIndexUsed ?? run.resourceSnapshotIndex;
  const created = Date.parse(run.createdAt ?? '');
  let best: KfRun | undefined;
  for (const o of others) {
    if (o === run || o.scope !== run.scope || o.namespace !== run.namespace || o.placementName !== run.placementName) continue;
    if (conditionOf(o.conditions, 'Succeeded')?.status !== 'True' || !o.resourceSnapshotIndexUsed) continue;
    if (o.resourceSnapshotIndexUsed === mine) continue;
    const at = Date.parse(o.createdAt ?? '');
    if (!(at < created)) continue;
    if (!best || at > Date.parse(best.createdAt ?? '')) best = o;
  }
  return best?.resourceSnapshotIndexUsed;
}
