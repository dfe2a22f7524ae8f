import type { Cluster } from '@fleetdeck/shared';

import { APPROVED_REASON, approvalMessage } from '../../bff/src/sources/kubefleet/rollouts/approval-message.ts';
import type { SeedObject } from '../../testbed/src/kube/seed.ts';

/**
 * The rollouts bench's hub objects, pure: 50 KubeFleet staged update runs over the
 * 1,000-cluster fleet, already initialised (strategy snapshot and `stagesStatus` filled
 * the way KubeFleet's controller writes them), and their approval requests. The bench
 * plays the controller from here on, so every run's state is known and stays put.
 */
const P = 'placement.kubernetes-fleet.io/v1beta1';
const LABEL_RUN = 'kubernetes-fleet.io/targetupdaterun';
const LABEL_STAGE = 'kubernetes-fleet.io/targetUpdatingStage';
const LABEL_TASK = 'kubernetes-fleet.io/taskType';
const ENV_ORDER = ['dev', 'staging', 'production'];

export type Phase = 'progressing' | 'awaiting';

export interface BenchRun {
  name: string;
  namespace?: string;
  /** Rollout id as the BFF names it. */
  id: string;
  phase: Phase;
  /** Index of the stage in progress or waiting at its before-stage approval. */
  current: number;
  stages: { name: string; clusters: string[] }[];
  /** Clusters of the current stage the seed leaves updating (Started, not Succeeded). */
  updating: string[];
}

interface KCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration: number;
}

const time = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
const cond = (type: string, status: 'True' | 'False', reason: string, at: Date, message = ''): KCondition => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: time(at),
  observedGeneration: 1,
});

/** A cluster's conditions: updating = Started only; succeeded = Started and Succeeded. */
export function clusterConditions(state: 'updating' | 'succeeded', at: Date): KCondition[] {
  const started = cond('Started', 'True', 'ClusterUpdatingStarted', at);
  return state === 'updating' ? [started] : [started, cond('Succeeded', 'True', 'ClusterUpdatingSucceeded', at)];
}

/** Stages by environment (dev, staging, production), each split in two halves so runs have several waves. */
function stagesOf(clusters: readonly Cluster[]): BenchRun['stages'] {
  const stages: BenchRun['stages'] = [];
  for (const env of ENV_ORDER) {
    const names = clusters.filter((c) => c.environment === env).map((c) => c.name);
    if (names.length === 0) continue;
    const half = Math.ceil(names.length / 2);
    stages.push({ name: `${env}1`, clusters: names.slice(0, half) }, { name: `${env}2`, clusters: names.slice(half) });
  }
  return stages.filter((s) => s.clusters.length > 0);
}

/** 50 runs: 5 fleet-wide and 9 per-tenant cluster-scoped, 36 namespaced in `fleet-<tenant>` (12 each). */
export function benchRuns(clusters: readonly Cluster[], tenants: readonly string[]): BenchRun[] {
  const specs: { name: string; namespace?: string; of: readonly Cluster[] }[] = [];
  for (let i = 0; i < 5; i++) specs.push({ name: `bench-fleet-${i}`, of: clusters });
  for (const t of tenants) {
    const mine = clusters.filter((c) => c.tenant === t);
    for (let i = 0; i < 3; i++) specs.push({ name: `bench-${t}-platform-${i}`, of: mine });
    for (let i = 0; i < 12; i++) specs.push({ name: `bench-apps-${i}`, namespace: `fleet-${t}`, of: mine });
  }
  return specs.map((s, i) => {
    const stages = stagesOf(s.of);
    // Every third run waits at the before-stage approval of a later wave; the rest are mid-wave.
    const phase: Phase = i % 3 === 1 ? 'awaiting' : 'progressing';
    const current = phase === 'awaiting' ? 1 + (i % (stages.length - 1)) : i % stages.length;
    const wave = stages[current]!.clusters;
    const updating = phase === 'progressing' ? wave.slice(Math.floor(wave.length / 2), Math.floor((wave.length * 3) / 4)) : [];
    const source = s.namespace ? 'kubefleet-namespaced' : 'kubefleet';
    return {
      name: s.name,
      ...(s.namespace && { namespace: s.namespace }),
      id: `${source}~${s.namespace ?? ''}~${s.name}`,
      phase,
      current,
      stages,
      updating,
    };
  });
}

export const approvalName = (run: string, stage: string) => `${run}-before-${stage}`;

/** The status KubeFleet's controller would have written for the run at this point. */
export function runStatus(run: BenchRun, now: Date): unknown {
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  const updating = new Set(run.updating);
  const passed = (k: number) => k < run.current || (k === run.current && run.phase === 'progressing');
  const stagesStatus = run.stages.map((stage, k) => {
    const approval = k > 0 ? approvalName(run.name, stage.name) : undefined;
    const before = approval
      ? [
          {
            type: 'Approval',
            approvalRequestName: approval,
            conditions: passed(k)
              ? [
                  cond('ApprovalRequestCreated', 'True', 'ApprovalRequestCreated', ago(3600 - k * 600)),
                  cond('ApprovalRequestApproved', 'True', 'ApprovalRequestApproved', ago(3500 - k * 600)),
                ]
              : k === run.current && run.phase === 'awaiting'
                ? [cond('ApprovalRequestCreated', 'True', 'ApprovalRequestCreated', ago(300))]
                : [],
          },
        ]
      : [];
    const base = { stageName: stage.name, beforeStageTaskStatus: before, afterStageTaskStatus: [] as unknown[] };
    if (k < run.current) {
      return {
        ...base,
        startTime: time(ago(3400 - k * 600)),
        endTime: time(ago(3000 - k * 600)),
        conditions: [
          cond('Progressing', 'False', 'StageUpdatingSucceeded', ago(3000 - k * 600)),
          cond('Succeeded', 'True', 'StageUpdatingSucceeded', ago(3000 - k * 600)),
        ],
        clusters: stage.clusters.map((c) => ({ clusterName: c, conditions: clusterConditions('succeeded', ago(3000 - k * 600)) })),
      };
    }
    if (k === run.current && run.phase === 'progressing') {
      const done = new Set(stage.clusters.slice(0, Math.floor(stage.clusters.length / 2)));
      return {
        ...base,
        startTime: time(ago(600)),
        conditions: [cond('Progressing', 'True', 'StageUpdatingStarted', ago(600))],
        clusters: stage.clusters.map((c) => ({
          clusterName: c,
          conditions: done.has(c)
            ? clusterConditions('succeeded', ago(300))
            : updating.has(c)
              ? clusterConditions('updating', ago(120))
              : [],
        })),
      };
    }
    const waiting = k === run.current ? [cond('Progressing', 'False', 'StageUpdatingWaiting', ago(300))] : [];
    return { ...base, conditions: waiting, clusters: stage.clusters.map((c) => ({ clusterName: c, conditions: [] })) };
  });
  const awaiting = run.phase === 'awaiting' ? approvalName(run.name, run.stages[run.current]!.name) : undefined;
  return {
    policyObservedClusterCount: run.stages.reduce((n, s) => n + s.clusters.length, 0),
    resourceSnapshotIndexUsed: '2',
    stagedUpdateStrategySnapshot: {
      stages: run.stages.map((s, k) => ({
        name: s.name,
        maxConcurrency: '25%',
        ...(k > 0 && { beforeStageTasks: [{ type: 'Approval' }] }),
      })),
    },
    stagesStatus,
    conditions: [
      cond('Initialized', 'True', 'UpdateRunInitializedSuccessfully', ago(3600)),
      awaiting
        ? cond('Progressing', 'False', 'UpdateRunWaiting', ago(300), `waiting for approval ${awaiting}`)
        : cond('Progressing', 'True', 'UpdateRunProgressing', ago(600)),
    ],
  };
}

function approvalSeed(run: BenchRun, k: number, approved: boolean, now: Date): SeedObject {
  const stage = run.stages[k]!.name;
  const at = new Date(now.getTime() - (3500 - k * 600) * 1000);
  return {
    object: {
      apiVersion: P,
      kind: `${run.namespace ? '' : 'Cluster'}ApprovalRequest`,
      metadata: {
        name: approvalName(run.name, stage),
        ...(run.namespace && { namespace: run.namespace }),
        labels: { [LABEL_RUN]: run.name, [LABEL_STAGE]: stage, [LABEL_TASK]: 'beforeStage' },
      },
      spec: { parentStageRollout: run.name, targetStage: stage },
    },
    ...(approved && {
      status: {
        conditions: [
          cond('Approved', 'True', APPROVED_REASON, at, approvalMessage('platform-admin@demo', undefined)),
          cond('ApprovalAccepted', 'True', 'ApprovalRequestApprovalAccepted', at),
        ],
      },
    }),
  };
}

/** The run objects (spec + status) and every approval request they have reached. */
export function runSeeds(runs: readonly BenchRun[], now: Date): SeedObject[] {
  return runs.flatMap((run) => [
    {
      object: {
        apiVersion: P,
        kind: `${run.namespace ? '' : 'Cluster'}StagedUpdateRun`,
        metadata: { name: run.name, ...(run.namespace && { namespace: run.namespace }) },
        spec: {
          placementName: `${run.name}-app`,
          resourceSnapshotIndex: '2',
          stagedRolloutStrategyName: `${run.name}-waves`,
          state: 'Run',
        },
      },
      status: runStatus(run, now),
    },
    // Every before-stage approval the run has reached: approved for the waves it passed, open where it waits.
    ...run.stages.flatMap((_, k) => {
      if (k === 0 || k > run.current) return [];
      return [approvalSeed(run, k, k < run.current || run.phase === 'progressing', now)];
    }),
  ]);
}

/** The hub path of a run (its /status is where the controller writes). */
export function runPath(run: Pick<BenchRun, 'name' | 'namespace'>): string {
  const base = `/apis/${P}`;
  return run.namespace ? `${base}/namespaces/${run.namespace}/stagedupdateruns/${run.name}` : `${base}/clusterstagedupdateruns/${run.name}`;
}

export function approvalPath(run: Pick<BenchRun, 'name' | 'namespace'>, stage: string): string {
  const base = `/apis/${P}`;
  const name = approvalName(run.name, stage);
  return run.namespace ? `${base}/namespaces/${run.namespace}/approvalrequests/${name}` : `${base}/clusterapprovalrequests/${name}`;
}
