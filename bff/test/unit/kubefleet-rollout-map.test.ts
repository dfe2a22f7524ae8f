import { describe, expect, it } from 'vitest';

import type { SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { mapRun } from '../../src/sources/kubefleet/rollouts/map-run.ts';
import { readApproval, readRun } from '../../src/sources/kubefleet/rollouts/version-adapter.ts';

import { T, c, started, stage, raw, INIT, approval, map, canaryDone, stagingWaiting } from './kubefleet-rollout-fixtures.ts';

describe('mapping a staged update run: run state from conditions by type', () => {
  const cases: [string, ReturnType<typeof raw>, SourceRollout['state']][] = [
    ['no status yet, state Initialize', raw({ state: 'Initialize' }), 'Initializing'],
    ['no state at all (upstream default Initialize)', raw(), 'Initializing'],
    ['initialized, still in Initialize', raw({ state: 'Initialize', conditions: [INIT], stages: [stage('canary')] }), 'Initializing'],
    [
      'initialization failed',
      raw({ state: 'Run', conditions: [c('Initialized', 'False', 'UpdateRunInitializedFailed', T(1), 'strategy s not found')] }),
      'Failed',
    ],
    [
      'initialization not done (False, other reason)',
      raw({ state: 'Run', conditions: [c('Initialized', 'False', 'Pending')] }),
      'Initializing',
    ],
    [
      'progressing',
      raw({
        state: 'Run',
        conditions: [INIT, c('Progressing', 'True', 'UpdateRunProgressing')],
        stages: [stage('canary', { clusters: { c1: started(1) } })],
      }),
      'Progressing',
    ],
    ['initialized and Run, before the first progress', raw({ state: 'Run', conditions: [INIT], stages: [stage('canary')] }), 'Progressing'],
    [
      'stopped by spec',
      raw({ state: 'Stop', conditions: [INIT, c('Progressing', 'True', 'UpdateRunProgressing')], stages: [] }),
      'Stopped',
    ],
    ['stopping (reason)', raw({ state: 'Run', conditions: [INIT, c('Progressing', 'False', 'UpdateRunStopping')], stages: [] }), 'Stopped'],
    [
      'suspend: true of the proposed API',
      raw({ conditions: [INIT], stages: [], extra: { spec: { placementName: 'app', suspend: true } } }),
      'Stopped',
    ],
    [
      'suspend: false of the proposed API',
      raw({ conditions: [INIT], stages: [], extra: { spec: { placementName: 'app', suspend: false } } }),
      'Progressing',
    ],
    [
      'succeeded',
      raw({
        state: 'Run',
        conditions: [INIT, c('Progressing', 'False', 'UpdateRunSucceeded'), c('Succeeded', 'True', 'UpdateRunSucceeded')],
      }),
      'Succeeded',
    ],
    ['failed (Succeeded False)', raw({ state: 'Run', conditions: [INIT, c('Succeeded', 'False', 'UpdateRunFailed')] }), 'Failed'],
    ['failed (Progressing reason only)', raw({ state: 'Run', conditions: [INIT, c('Progressing', 'False', 'UpdateRunFailed')] }), 'Failed'],
    [
      'an unknown state value, nothing else known',
      raw({ state: 'Pause', conditions: [INIT, c('Progressing', 'Unknown', 'Whatever')] }),
      'Unknown',
    ],
  ];
  it.each(cases)('%s', (_name, obj, state) => {
    expect(map(obj).state).toBe(state);
  });

  it('a failed initialization says why', () => {
    const r = map(
      raw({ state: 'Run', conditions: [c('Initialized', 'False', 'UpdateRunInitializedFailed', T(1), 'strategy s not found')] }),
    );
    expect(r.message).toBe('strategy s not found');
    expect(r.waves).toEqual([]);
  });
});

describe('the version adapter', () => {
  it('maps the same object served as v1 and v1beta1 identically (but for the object apiVersion)', () => {
    const stages = [canaryDone(), stagingWaiting(), stage('prod', { clusters: { p1: [] } })];
    const conds = [INIT, c('Progressing', 'False', 'UpdateRunWaiting')];
    const a = map(raw({ state: 'Run', conditions: conds, stages, version: 'v1beta1' }), [approval('r1-after-canary', 'canary', 1, [])]);
    const b = map(raw({ state: 'Run', conditions: conds, stages, version: 'v1' }), [approval('r1-after-canary', 'canary', 1, [])]);
    expect(b.object!.apiVersion).toBe('placement.kubernetes-fleet.io/v1');
    expect({ ...b, object: { ...b.object, apiVersion: 'x' } }).toEqual({ ...a, object: { ...a.object, apiVersion: 'x' } });
  });

  const garbage: [string, unknown][] = [
    ['null', null],
    ['a string', 'run'],
    ['no metadata', { spec: {} }],
    ['no name', { metadata: {} }],
  ];
  it.each(garbage)('reads nothing from %s, without a throw', (_n, obj) => {
    expect(readRun(obj, 'cluster')).toBeUndefined();
    expect(readApproval(obj, 'cluster')).toBeUndefined();
  });

  it('drops malformed parts and maps unknown values to Unknown, never throwing', () => {
    const obj = {
      metadata: { name: 'r1', generation: 'two', creationTimestamp: 'yesterday' },
      spec: { placementName: 7, state: 'Paused' },
      status: {
        conditions: [null, { type: 'Initialized', status: 'Maybe' }, { status: 'True' }, 'x'],
        stagesStatus: [
          null,
          3,
          { stageName: '' },
          {
            stageName: 'canary',
            clusters: [{ clusterName: 'c1', conditions: 'bad' }, {}],
            beforeStageTaskStatus: [{ type: 'Gate', conditions: [] }],
            afterStageTaskStatus: 'x',
            startTime: 'soon',
          },
        ],
        stagedUpdateStrategySnapshot: {
          stages: [{ name: 'canary', maxConcurrency: { x: 1 }, afterStageTasks: [{ type: 'TimedWait', waitTime: 'forever' }] }],
        },
      },
    };
    const run = readRun(obj, 'cluster')!;
    expect(run.state).toBe('Unknown');
    expect(run.placementName).toBe('');
    expect(run.conditions).toEqual([{ type: 'Initialized', status: 'Unknown' }]);
    expect(run.stages.map((s) => s.stageName)).toEqual(['canary']);
    const r = map(obj);
    expect(r.waves[0]!.clusters).toEqual([{ cluster: 'c1', state: 'Pending' }]);
    expect(r.waves[0]!.gates).toEqual([{ kind: 'Approval', position: 'before', state: 'Unknown' }]);
    expect(r.waves[0]!.startedAt).toBeUndefined();
    expect(r.waves[0]!.maxConcurrency).toBeUndefined();
    expect(r.createdAt).toBeUndefined();
    expect(r.state).toBe('Unknown');
  });

  it('namespaced runs get their tenant from the namespace and the namespaced id', () => {
    const obj = { ...raw({ state: 'Run', conditions: [INIT], stages: [] }), kind: 'StagedUpdateRun' };
    obj.metadata = { ...obj.metadata, namespace: 'fleet-client-a' } as typeof obj.metadata;
    const run = readRun(obj, 'namespaced')!;
    const r = mapRun({ run, approvals: new Map(), tenantForNamespace: (ns) => (ns === 'fleet-client-a' ? 'client-a' : undefined) });
    expect(r.id).toBe('kubefleet-namespaced~fleet-client-a~r1');
    expect(r.tenant).toBe('client-a');
    expect(r.namespace).toBe('fleet-client-a');
    expect(r.object).toMatchObject({ kind: 'StagedUpdateRun', namespace: 'fleet-client-a' });
  });
});
