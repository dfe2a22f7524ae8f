import { describe, expect, it } from 'vitest';

import { T, c, started, done, stage, raw, INIT, map, succeeded } from './kubefleet-rollout-fixtures.ts';

describe('mapping waves and clusters', () => {
  it('keeps stage order, per-wave maxConcurrency from the snapshot, clusters with times, identity and touches', () => {
    const r = map(
      raw({
        state: 'Run',
        conditions: [INIT, c('Progressing', 'True', 'UpdateRunProgressing', T(2))],
        stages: [
          stage('canary', {
            startTime: T(1),
            conditions: [c('Progressing', 'True', 'StageUpdatingStarted')],
            clusters: { c1: started(2), c2: [] },
          }),
          stage('staging', { clusters: { s1: [] } }),
          stage('prod', { clusters: { p1: [] } }),
        ],
      }),
    );
    expect(r.id).toBe('kubefleet~~r1');
    expect(r.source).toBe('kubefleet');
    expect(r.target).toBe('app');
    expect(r.revision).toBe('5');
    expect(r.tenant).toBeUndefined();
    expect(r.object).toEqual({
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'ClusterStagedUpdateRun',
      name: 'r1',
      uid: 'u-1',
    });
    expect(r.waves.map((w) => [w.name, w.index, w.state, w.maxConcurrency])).toEqual([
      ['canary', 0, 'Progressing', 1],
      ['staging', 1, 'NotStarted', 1],
      ['prod', 2, 'NotStarted', '25%'],
    ]);
    expect(r.waves[0]!.clusters).toEqual([
      { cluster: 'c1', state: 'Updating', startedAt: T(2) },
      { cluster: 'c2', state: 'Pending' },
    ]);
    expect(r.waves[0]!.startedAt).toBe(T(1));
    expect(r.currentWave).toBe('canary');
    expect(r.progress).toEqual({ total: 4, succeeded: 0, failed: 0, updating: 1 });
    expect(r.touches).toEqual(['c1', 'c2', 's1', 'p1']);
    expect(r.updatedAt).toBe(T(2));
    expect(r.createdAt).toBe(T(0));
    expect(r.policy).toEqual({ sourceFields: {} });
    expect(r.errors).toEqual([]);
    expect(r.history).toEqual([]);
    expect(JSON.stringify(r)).not.toContain('managedFields');
  });

  it('UpdateRunStuck keeps the run Progressing and says which clusters (as upstream wrote it)', () => {
    const msg = 'the update run is stuck: clusters [c1] have been updating for more than 5m0s';
    const r = map(
      raw({
        state: 'Run',
        conditions: [INIT, c('Progressing', 'True', 'UpdateRunStuck', T(9), msg)],
        stages: [stage('canary', { clusters: { c1: started(1) } })],
      }),
    );
    expect(r.state).toBe('Progressing');
    expect(r.message).toBe(msg);
    expect(r.conditions).toContainEqual({
      type: 'Progressing',
      status: 'True',
      reason: 'UpdateRunStuck',
      message: msg,
      lastTransitionTime: T(9),
    });
  });

  it('a failed cluster fails its wave and the run, with the cluster message', () => {
    const r = map(
      raw({
        state: 'Run',
        conditions: [
          INIT,
          c('Progressing', 'False', 'UpdateRunFailed'),
          c('Succeeded', 'False', 'UpdateRunFailed', T(9), 'stage canary: cluster c1 failed'),
        ],
        stages: [
          stage('canary', {
            conditions: [c('Succeeded', 'False', 'StageUpdatingFailed')],
            clusters: { c1: [...started(1), c('Succeeded', 'False', 'ClusterUpdatingFailed', T(9), 'apply failed: quota')], c2: [] },
          }),
        ],
      }),
    );
    expect(r.state).toBe('Failed');
    expect(r.message).toBe('stage canary: cluster c1 failed');
    expect(r.waves[0]!.state).toBe('Failed');
    expect(r.waves[0]!.clusters[0]).toEqual({
      cluster: 'c1',
      state: 'Failed',
      message: 'apply failed: quota',
      startedAt: T(1),
      finishedAt: T(9),
    });
    expect(r.progress).toEqual({ total: 2, succeeded: 0, failed: 1, updating: 0 });
  });

  it('a stopped stage is a Stopped wave; a finished run has no current wave', () => {
    const stopped = map(
      raw({
        state: 'Stop',
        conditions: [INIT, c('Progressing', 'False', 'UpdateRunStopped')],
        stages: [stage('canary', { conditions: [c('Progressing', 'False', 'StageUpdatingStopped')], clusters: { c1: done(2), c2: [] } })],
      }),
    );
    expect(stopped.state).toBe('Stopped');
    expect(stopped.waves[0]!.state).toBe('Stopped');
    const fin = map(
      raw({
        state: 'Run',
        conditions: [INIT, c('Succeeded', 'True', 'UpdateRunSucceeded', T(30))],
        stages: [succeeded('canary', { c1: done(3) })],
      }),
    );
    expect(fin.currentWave).toBeUndefined();
    expect(fin.waves[0]!.state).toBe('Succeeded');
    expect(fin.progress).toEqual({ total: 1, succeeded: 1, failed: 0, updating: 0 });
  });

  it('the deletion stage becomes a last wave when it removes clusters', () => {
    const obj = raw({ state: 'Run', conditions: [INIT], stages: [succeeded('canary', { c1: done(3) })] });
    (obj as { status: Record<string, unknown> }).status.deletionStageStatus = {
      stageName: 'kubernetes-fleet.io/deleteStage',
      clusters: [{ clusterName: 'old-1', conditions: started(4) }],
    };
    const r = map(obj);
    expect(r.waves.map((w) => [w.name, w.state])).toEqual([
      ['canary', 'Succeeded'],
      ['kubernetes-fleet.io/deleteStage', 'Progressing'],
    ]);
    expect(r.touches).toEqual(['c1', 'old-1']);
    (obj as { status: Record<string, unknown> }).status.deletionStageStatus = {
      stageName: 'kubernetes-fleet.io/deleteStage',
      clusters: [],
    };
    expect(map(obj).waves).toHaveLength(1);
  });

  it('the policy is shown only where every stage agrees, naming its source fields', () => {
    const obj = raw({ state: 'Run', conditions: [INIT], stages: [] });
    const status = (obj as unknown as { status: { stagedUpdateStrategySnapshot: unknown } }).status;
    status.stagedUpdateStrategySnapshot = {
      stages: [
        { name: 'a', maxConcurrency: 2, afterStageTasks: [{ type: 'TimedWait', waitTime: '30m' }] },
        { name: 'b', maxConcurrency: 2, afterStageTasks: [{ type: 'TimedWait', waitTime: '30m' }, { type: 'Approval' }] },
        { name: 'c', maxConcurrency: 2 },
      ],
    };
    expect(map(obj).policy).toEqual({
      maxConcurrent: 2,
      pauseBetweenWavesSeconds: 1800,
      sourceFields: {
        maxConcurrent: 'status.stagedUpdateStrategySnapshot.stages[].maxConcurrency',
        pauseBetweenWavesSeconds: 'status.stagedUpdateStrategySnapshot.stages[].afterStageTasks[type=TimedWait].waitTime',
      },
    });
    // An absent maxConcurrency is upstream's default, 1; a malformed one is not a limit.
    status.stagedUpdateStrategySnapshot = { stages: [{ name: 'a' }, { name: 'b', maxConcurrency: 1 }] };
    (obj as unknown as { status: { stagesStatus: unknown[] } }).status.stagesStatus = [{ stageName: 'a' }, { stageName: 'b' }];
    expect(map(obj).waves.map((w) => w.maxConcurrency)).toEqual([1, 1]);
    expect(map(obj).policy.maxConcurrent).toBe(1);
    status.stagedUpdateStrategySnapshot = {
      stages: [
        { name: 'a', maxConcurrency: 0 },
        { name: 'b', maxConcurrency: 0 },
      ],
    };
    expect(map(obj).waves.map((w) => w.maxConcurrency)).toEqual([undefined, undefined]);
    expect(map(obj).policy.maxConcurrent).toBeUndefined();
    // The seeded shape: one stage waits, the others do not; concurrency differs.
    expect(map(raw({ state: 'Run', conditions: [INIT], stages: [] })).policy).toEqual({ sourceFields: {} });
  });

  it('a rollback plan names the target snapshot and the clusters this run updated; none without a target', () => {
    const obj = raw({
      state: 'Run',
      conditions: [INIT],
      stages: [succeeded('canary', { c1: done(3) }), stage('staging', { clusters: { s1: started(9), s2: [] } })],
    });
    const r = map(obj, [], '4');
    expect(r.rollback).toMatchObject({ toRevision: '4', fromRevision: '5', clusters: ['c1', 's1'], hiddenClusters: 0 });
    expect(r.rollback!.note).toContain('Clusters already updated stay updated until the new run reaches them');
    expect(map(obj).rollback).toBeUndefined();
  });
});
