import { matchesSelector } from './selectors.ts';
import type { MemberClusterRef, RunObject, RunStatus, Stage, StageTask, TaskStatus } from './advance.ts';

/**
 * A staged update run's status as KubeFleet fills it at initialization: every stage with
 * its clusters (each selected cluster in exactly one stage, sorted by the sorting label,
 * then name) and task statuses, the strategy snapshot, and the counts.
 */
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

export const approvalName = (run: string, position: 'before' | 'after', stage: string) => `${run}-${position}-${stage}`;

export function initialize(run: RunObject, stages: Stage[], clusters: readonly MemberClusterRef[], status: RunStatus): void {
  const lists = stageClusters(stages, clusters);
  const tasks = (tasks: StageTask[] | undefined, position: 'before' | 'after', stage: string): TaskStatus[] =>
    (tasks ?? []).map((t) => ({
      type: t.type,
      ...(t.type === 'Approval' && { approvalRequestName: approvalName(run.metadata.name, position, stage) }),
      conditions: [],
    }));
  status.stagedUpdateStrategySnapshot = structuredClone({ stages });
  status.resourceSnapshotIndexUsed = run.spec.resourceSnapshotIndex || '0';
  status.policyObservedClusterCount = lists.reduce((n, l) => n + l.length, 0);
  status.stagesStatus = stages.map((stage, i) => ({
    stageName: stage.name,
    conditions: [],
    clusters: lists[i]!.map((clusterName) => ({ clusterName, conditions: [] })),
    beforeStageTaskStatus: tasks(stage.beforeStageTasks, 'before', stage.name),
    afterStageTaskStatus: tasks(stage.afterStageTasks, 'after', stage.name),
  }));
}
