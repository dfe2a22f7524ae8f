import { Rollout } from '@fleetdeck/shared';

import type { SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import type { KfApproval } from '../../src/sources/kubefleet/rollouts/kf-objects.ts';
import { mapRun } from '../../src/sources/kubefleet/rollouts/map-run.ts';
import { readApproval, readRun } from '../../src/sources/kubefleet/rollouts/version-adapter.ts';

/** Staged update runs as the hub serves them, for the mapping's unit tests. */
export type Cond = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
};
export const T = (min: number) => new Date(Date.UTC(2026, 10, 26, 0, min)).toISOString().replace('.000Z', 'Z');
export const c = (type: string, status: string, reason?: string, at = T(0), message?: string): Cond => ({
  type,
  status,
  ...(reason && { reason }),
  ...(message && { message }),
  lastTransitionTime: at,
});
export const started = (at: number) => [c('Started', 'True', 'ClusterUpdatingStarted', T(at))];
export const done = (at: number) => [...started(at - 1), c('Succeeded', 'True', 'ClusterUpdatingSucceeded', T(at))];

export const SNAPSHOT = {
  stages: [
    { name: 'canary', maxConcurrency: 1, afterStageTasks: [{ type: 'Approval' }] },
    { name: 'staging', maxConcurrency: 1, afterStageTasks: [{ type: 'TimedWait', waitTime: '1h30m' }] },
    { name: 'prod', maxConcurrency: '25%', beforeStageTasks: [{ type: 'Approval' }] },
  ],
};

export interface StageOpts {
  conditions?: Cond[];
  clusters?: Record<string, Cond[]>;
  after?: Cond[][];
  before?: Cond[][];
  startTime?: string;
  endTime?: string;
}
export function stage(name: string, o: StageOpts = {}) {
  const spec = SNAPSHOT.stages.find((s) => s.name === name)!;
  return {
    stageName: name,
    ...(o.startTime && { startTime: o.startTime }),
    ...(o.endTime && { endTime: o.endTime }),
    conditions: o.conditions ?? [],
    clusters: Object.entries(o.clusters ?? {}).map(([clusterName, conditions]) => ({ clusterName, conditions })),
    beforeStageTaskStatus: (spec.beforeStageTasks ?? []).map((t, i) => ({
      type: t.type,
      approvalRequestName: `r1-before-${name}`,
      conditions: o.before?.[i] ?? [],
    })),
    afterStageTaskStatus: (spec.afterStageTasks ?? []).map((t, i) => ({
      type: t.type,
      ...(t.type === 'Approval' && { approvalRequestName: `r1-after-${name}` }),
      conditions: o.after?.[i] ?? [],
    })),
  };
}

export function raw(
  opts: { state?: string; conditions?: Cond[]; stages?: unknown[]; version?: string; extra?: Record<string, unknown> } = {},
) {
  return {
    apiVersion: `placement.kubernetes-fleet.io/${opts.version ?? 'v1beta1'}`,
    kind: 'ClusterStagedUpdateRun',
    metadata: { name: 'r1', uid: 'u-1', generation: 2, creationTimestamp: T(0), managedFields: [{ manager: 'x' }] },
    spec: { placementName: 'app', resourceSnapshotIndex: '5', stagedRolloutStrategyName: 's', ...(opts.state && { state: opts.state }) },
    ...(opts.stages || opts.conditions
      ? {
          status: {
            resourceSnapshotIndexUsed: '5',
            stagedUpdateStrategySnapshot: SNAPSHOT,
            stagesStatus: opts.stages ?? [],
            conditions: opts.conditions ?? [],
            somethingNew: { a: 1 },
          },
        }
      : {}),
    ...opts.extra,
  };
}

export const INIT = c('Initialized', 'True', 'UpdateRunInitializedSuccessfully');
export const approval = (name: string, stageName: string, generation: number, conditions: Cond[]): KfApproval =>
  readApproval(
    {
      metadata: { name, generation, creationTimestamp: T(5), labels: { 'kubernetes-fleet.io/targetupdaterun': 'r1' } },
      spec: { parentStageRollout: 'r1', targetStage: stageName },
      status: { conditions },
    },
    'cluster',
  )!;

export function map(obj: unknown, approvals: KfApproval[] = [], rollbackTo?: string): SourceRollout {
  const run = readRun(obj, 'cluster');
  if (!run) throw new Error('unreadable');
  const r = mapRun({
    run,
    approvals: new Map(approvals.map((a) => [a.name, a])),
    ...(rollbackTo && { rollbackTo }),
    tenantForNamespace: (ns) => (ns === 'fleet-client-a' ? 'client-a' : undefined),
  });
  // Every mapping must be a valid model object once the routes add the per-person fields.
  const actions = Object.fromEntries(
    ['approve', 'pause', 'resume', 'abort', 'rollback', 'reject', 'unpin'].map((k) => [k, { allowed: false }]),
  );
  const checked = Rollout.safeParse({
    ...r,
    actions,
    approveWaves: {},
    redacted: false,
    hiddenClusters: 0,
    ...(r.awaitingApproval && { awaitingApproval: { ...r.awaitingApproval, canApprove: false } }),
  });
  if (!checked.success) throw new Error(`not a valid Rollout: ${JSON.stringify(checked.error.issues)}`);
  return r;
}

export const canaryDone = () =>
  stage('canary', { conditions: [c('Progressing', 'True', 'StageUpdatingStarted')], clusters: { c1: done(3) } });
export const stagingWaiting = (extra: Cond[] = [], after: Cond[][] = []) =>
  stage('staging', {
    conditions: [c('Progressing', 'True', 'StageUpdatingStarted', T(6)), ...extra],
    clusters: { s1: done(8), s2: done(10) },
    after,
  });
export const succeeded = (name: string, clusters: Record<string, Cond[]>) =>
  stage(name, {
    conditions: [c('Progressing', 'False', 'StageUpdatingSucceeded'), c('Succeeded', 'True', 'StageUpdatingSucceeded')],
    clusters,
  });
