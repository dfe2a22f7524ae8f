/**
 * The pure core of the testbed's **fleet controller stand-in**: what the KubeFleet hub
 * controller would write next for a staged update run, given the objects and the time.
 * It simulates an external controller for tests; it is not part of Fleetdeck.
 */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
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
  resourceSnapshotIndexUsed?: string;
  stagedUpdateStrategySnapshot?: { stages: Stage[] };
  stagesStatus?: StageStatus[];
  conditions?: Condition[];
}
export interface RunObject {
  metadata: { name: string; namespace?: string; generation?: number };
  spec: { placementName?: string; resourceSnapshotIndex?: string; stagedRolloutStrategyName?: string; state?: string };
  status?: RunStatus;
}
export interface ApprovalObject {
  metadata: { name: string; generation?: number };
  status?: { conditions?: Partial<Condition>[] };
}
export interface MemberClusterRef {
  name: string;
  labels: Record<string, string>;
}
export interface ApprovalToCreate {
  name: string;
  stage: string;
}

export interface AdvanceInput {
  run: RunObject;
  strategy: { stages: Stage[] } | undefined;
  clusters: readonly MemberClusterRef[];
  approvals: ReadonlyMap<string, ApprovalObject>;
  now: Date;
  secondsPerCluster: number;
  failClusters?: ReadonlySet<string>;
}

export interface AdvanceResult {
  status: RunStatus;
  approvalsToCreate: ApprovalToCreate[];
  approvalsToAccept: string[];
}

export const FAIL_LABEL = 'fleetdeck.dev/testbed-fail';

export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    const values = e.values ?? [];
    const ok =
      e.operator === 'In'
        ? has && values.includes(value!)
        : e.operator === 'NotIn'
          ? !has || !values.includes(value!)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

/** Go duration strings as KubeFleet's waitTime uses them ("1h", "90s", "1h30m"). */
export function parseGoDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  if (consumed !== text.length || text === '') throw new Error(`bad duration ${text}`);
  return total;
}

export function concurrencyOf(maxConcurrency: number | string | undefined, clusterCount: number): number {
  if (maxConcurrency === undefined) return 1;
  if (typeof maxConcurrency === 'number') return Math.max(1, maxConcurrency);
  const pct = /^(\d+)%$/.exec(maxConcurrency);
  if (pct) return Math.max(1, Math.floor((Number(pct[1]) / 100) * clusterCount));
  const n = Number(maxConcurrency);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** Sets a condition; keeps its transition time when the status did not change. */
function setCondition(
  list: Condition[],
  type: string,
  status: Condition['status'],
  reason: string,
  now: string,
  generation?: number,
  message?: string,
): void {
  const existing = list.find((c) => c.type === type);
  const next: Condition = {
    type,
    status,
    reason,
    ...(message !== undefined && { message }),
    lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : now,
    ...(generation !== undefined && { observedGeneration: generation }),
  };
  if (existing) list.splice(list.indexOf(existing), 1, next);
  else list.push(next);
}

const cond = (list: readonly { type?: string; status?: string }[] | undefined, type: string) => list?.find((c) => c.type === type);
const isTrue = (list: readonly { type?: string; status?: string }[] | undefined, type: string) => cond(list, type)?.status === 'True';

function stageClusters(stages: Stage[], clusters: readonly MemberClusterRef[]): string[][] {
  const taken = new Set<string>();
  return stages.map((stage) => {
    const picked = clusters.filter((c) => !taken.has(c.name) && matchesSelector(stage.labelSelector, c.labels));
    const key = stage.sortingLabelKey;
    picked.sort((a, b) => {
      if (key) {
        const x = Number(a.labels[key]);
        const y = Number(b.labels[key]);
        if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
      }
      return a.name.localeCompare(b.name);
    });
    for (const c of picked) taken.add(c.name);
    return picked.map((c) => c.name);
  });
}

const approvalName = (run: string, position: 'before' | 'after', stage: string) => `${run}-${position}-${stage}`;

export function advance(input: AdvanceInput): AdvanceResult {
  const { run } = input;
  const now = input.now.toISOString();
  const nowMs = input.now.getTime();
  const gen = run.metadata.generation;
  const status: RunStatus = structuredClone(run.status ?? {});
  status.conditions ??= [];
  const result: AdvanceResult = { status, approvalsToCreate: [], approvalsToAccept: [] };
  const runConds = status.conditions;

  if (!status.stagesStatus) {
    if (!input.strategy) {
      setCondition(
        runConds,
        'Initialized',
        'False',
        'UpdateRunInitializedFailed',
        now,
        gen,
        `strategy ${run.spec.stagedRolloutStrategyName ?? ''} not found`,
      );
      return result;
    }
    const stages = input.strategy.stages;
    const lists = stageClusters(stages, input.clusters);
    status.stagedUpdateStrategySnapshot = structuredClone(input.strategy);
    status.resourceSnapshotIndexUsed = run.spec.resourceSnapshotIndex || '0';
    status.stagesStatus = stages.map((stage, i) => ({
      stageName: stage.name,
      conditions: [],
      clusters: lists[i]!.map((clusterName) => ({ clusterName, conditions: [] })),
      beforeStageTaskStatus: (stage.beforeStageTasks ?? []).map((t) => ({
        type: t.type,
        ...(t.type === 'Approval' && { approvalRequestName: approvalName(run.metadata.name, 'before', stage.name) }),
        conditions: [],
      })),
      afterStageTaskStatus: (stage.afterStageTasks ?? []).map((t) => ({
        type: t.type,
        ...(t.type === 'Approval' && { approvalRequestName: approvalName(run.metadata.name, 'after', stage.name) }),
        conditions: [],
      })),
    }));
    setCondition(runConds, 'Initialized', 'True', 'UpdateRunInitializedSuccessfully', now, gen);
  }
  if (cond(runConds, 'Succeeded')) return result;
  const state = run.spec.state ?? 'Run';
  if (state === 'Initialize') return result;
  if (state === 'Stop') {
    setCondition(runConds, 'Progressing', 'False', 'UpdateRunStopped', now, gen, 'the run was stopped (spec.state: Stop)');
    return result;
  }

  const stages = status.stagedUpdateStrategySnapshot?.stages ?? [];
  const current = status.stagesStatus.find((s) => !isTrue(s.conditions, 'Succeeded'));
  if (!current) {
    setCondition(runConds, 'Progressing', 'False', 'UpdateRunSucceeded', now, gen);
    setCondition(runConds, 'Succeeded', 'True', 'UpdateRunSucceeded', now, gen);
    return result;
  }
  const stage = stages.find((s) => s.name === current.stageName) ?? { name: current.stageName };

  // An approval task: request it once, wait for Approved=True on the current generation, accept it.
  const approvalDone = (task: TaskStatus, position: 'before' | 'after'): boolean => {
    const name = task.approvalRequestName!;
    if (!isTrue(task.conditions, 'ApprovalRequestCreated')) {
      result.approvalsToCreate.push({ name, stage: current.stageName });
      setCondition(task.conditions, 'ApprovalRequestCreated', 'True', 'ApprovalRequestCreated', now, gen);
    }
    const approval = input.approvals.get(name);
    const approved = approval?.status?.conditions?.find(
      (c) => c.type === 'Approved' && c.status === 'True' && c.observedGeneration === approval.metadata.generation,
    );
    if (!approved) {
      setCondition(
        runConds,
        'Progressing',
        'False',
        'UpdateRunWaiting',
        now,
        gen,
        `waiting for approval ${name} (${position} stage ${current.stageName})`,
      );
      return false;
    }
    if (!approval?.status?.conditions?.some((c) => c.type === 'ApprovalAccepted' && c.status === 'True'))
      result.approvalsToAccept.push(name);
    setCondition(task.conditions, 'ApprovalRequestApproved', 'True', 'ApprovalRequestApproved', now, gen);
    return true;
  };

  for (const task of current.beforeStageTaskStatus) {
    if (task.type === 'Approval' && !approvalDone(task, 'before')) return result;
  }

  current.startTime ??= now;
  setCondition(current.conditions, 'Progressing', 'True', 'StageUpdatingStarted', now, gen);
  setCondition(runConds, 'Progressing', 'True', 'UpdateRunStarted', now, gen);

  const fails = (name: string) =>
    input.failClusters?.has(name) || input.clusters.find((c) => c.name === name)?.labels[FAIL_LABEL] === 'true';
  for (const c of current.clusters) {
    const started = cond(c.conditions, 'Started') as Condition | undefined;
    if (started?.status !== 'True' || cond(c.conditions, 'Succeeded')) continue;
    if (nowMs - Date.parse(started.lastTransitionTime) >= input.secondsPerCluster * 1000) {
      if (fails(c.clusterName)) {
        setCondition(c.conditions, 'Succeeded', 'False', 'ClusterUpdatingFailed', now, gen, 'the testbed seeded this cluster to fail');
        // A stage stops on its first failed cluster, and so does the run.
        setCondition(current.conditions, 'Progressing', 'False', 'StageUpdatingFailed', now, gen);
        setCondition(current.conditions, 'Succeeded', 'False', 'StageUpdatingFailed', now, gen, `cluster ${c.clusterName} failed`);
        setCondition(runConds, 'Progressing', 'False', 'UpdateRunFailed', now, gen);
        setCondition(
          runConds,
          'Succeeded',
          'False',
          'UpdateRunFailed',
          now,
          gen,
          `stage ${current.stageName}: cluster ${c.clusterName} failed`,
        );
        return result;
      }
      setCondition(c.conditions, 'Succeeded', 'True', 'ClusterUpdatingSucceeded', now, gen);
    }
  }
  const limit = concurrencyOf(stage.maxConcurrency, current.clusters.length);
  let inFlight = current.clusters.filter((c) => isTrue(c.conditions, 'Started') && !cond(c.conditions, 'Succeeded')).length;
  for (const c of current.clusters) {
    if (inFlight >= limit) break;
    if (cond(c.conditions, 'Started')) continue;
    setCondition(c.conditions, 'Started', 'True', 'ClusterUpdatingStarted', now, gen);
    inFlight++;
  }
  if (!current.clusters.every((c) => isTrue(c.conditions, 'Succeeded'))) return result;

  const finishedAt = Math.max(
    0,
    ...current.clusters.map((c) => Date.parse((cond(c.conditions, 'Succeeded') as Condition).lastTransitionTime)),
  );
  for (const task of current.afterStageTaskStatus) {
    if (task.type === 'TimedWait') {
      const wait = parseGoDuration(stage.afterStageTasks?.find((t) => t.type === 'TimedWait')?.waitTime ?? '0s');
      if (nowMs - (finishedAt || nowMs) < wait * 1000) {
        setCondition(runConds, 'Progressing', 'False', 'UpdateRunWaiting', now, gen, `waiting ${wait}s after stage ${current.stageName}`);
        return result;
      }
      setCondition(task.conditions, 'WaitTimeElapsed', 'True', 'AfterStageTaskWaitTimeElapsed', now, gen);
    } else if (task.type === 'Approval' && !approvalDone(task, 'after')) {
      return result;
    }
  }
  current.endTime = now;
  setCondition(current.conditions, 'Progressing', 'False', 'StageUpdatingSucceeded', now, gen);
  setCondition(current.conditions, 'Succeeded', 'True', 'StageUpdatingSucceeded', now, gen);
  setCondition(runConds, 'Progressing', 'True', 'UpdateRunStarted', now, gen);
  return result;
}
