import { describe, expect, it } from 'vitest';

import {
  advance,
  type AdvanceInput,
  type ApprovalObject,
  type MemberClusterRef,
  type RunObject,
  type Stage,
} from '../../src/controller/advance.ts';
import { concurrencyOf, matchesSelector, parseGoDuration } from '../../src/controller/selectors.ts';

const clusters: MemberClusterRef[] = [
  { name: 'canary-1', labels: { tier: 'canary', env: 'production' } },
  { name: 'stage-1', labels: { env: 'staging' } },
  ...['p-4', 'p-1', 'p-3', 'p-2'].map((name, i) => ({ name, labels: { env: 'production', order: String(10 - i) } })),
];
const stages: Stage[] = [
  { name: 'canary', labelSelector: { matchLabels: { tier: 'canary' } }, afterStageTasks: [{ type: 'Approval' }] },
  { name: 'staging', labelSelector: { matchLabels: { env: 'staging' } }, afterStageTasks: [{ type: 'TimedWait', waitTime: '10s' }] },
  {
    name: 'prod',
    labelSelector: { matchLabels: { env: 'production' } },
    sortingLabelKey: 'order',
    maxConcurrency: '50%',
    beforeStageTasks: [{ type: 'Approval' }],
  },
];
const t0 = Date.parse('2026-11-24T10:00:00Z');

function harness(fail: string[] = [], state = 'Run') {
  let run: RunObject = {
    metadata: { name: 'r', generation: 1 },
    spec: { stagedRolloutStrategyName: 's', state, resourceSnapshotIndex: '3' },
  };
  const approvals = new Map<string, ApprovalObject>();
  const created: string[] = [];
  let now = t0;
  const step = (seconds = 0) => {
    now += seconds * 1000;
    const input: AdvanceInput = {
      run,
      strategy: { stages },
      clusters,
      approvals,
      now: new Date(now),
      secondsPerCluster: 1,
      failClusters: new Set(fail),
    };
    const out = advance(input);
    for (const a of out.approvalsToCreate) {
      created.push(a.name);
      approvals.set(a.name, { metadata: { name: a.name, generation: 1 }, status: { conditions: [] } });
    }
    for (const name of out.approvalsToAccept) approvals.get(name)!.status!.conditions!.push({ type: 'ApprovalAccepted', status: 'True' });
    run = { ...run, status: out.status };
    return out;
  };
  const approve = (name: string, generation = 1) =>
    approvals.get(name)!.status!.conditions!.push({ type: 'Approved', status: 'True', reason: 'Approved', observedGeneration: generation });
  const stage = (name: string) => run.status!.stagesStatus!.find((s) => s.stageName === name)!;
  const withCondition = (name: string, type: string, status?: string) =>
    stage(name)
      .clusters.filter((c) => c.conditions.some((k) => k.type === type && (status === undefined || k.status === status)))
      .map((c) => c.clusterName);
  const runCond = (type: string) => run.status!.conditions!.find((c) => c.type === type);
  return {
    step,
    approve,
    stage,
    started: (name: string) => withCondition(name, 'Started'),
    succeeded: (name: string) => withCondition(name, 'Succeeded', 'True'),
    runCond,
    created,
    setState: (s: string) => (run = { ...run, spec: { ...run.spec, state: s } }),
    approvals,
    get run() {
      return run;
    },
  };
}

/** Through canary (approved) and staging (its wait elapsed), up to prod's before-approval, approved. */
function toProd(h: ReturnType<typeof harness>) {
  h.step();
  h.step(1);
  h.approve('r-after-canary');
  h.step(1);
  h.step();
  h.step(1);
  h.step(11);
  h.step();
  h.approve('r-before-prod');
}

describe('advance (KubeFleet stand-in)', () => {
  it('initializes every stage, cluster and task status, the strategy snapshot and the counts', () => {
    const h = harness([], 'Initialize');
    const out = h.step();
    expect(h.stage('canary').clusters.map((c) => c.clusterName)).toEqual(['canary-1']);
    expect(h.stage('prod').clusters.map((c) => c.clusterName)).toEqual(['p-2', 'p-3', 'p-1', 'p-4']);
    expect(h.stage('canary').afterStageTaskStatus).toEqual([{ type: 'Approval', approvalRequestName: 'r-after-canary', conditions: [] }]);
    expect(h.stage('prod').beforeStageTaskStatus).toEqual([{ type: 'Approval', approvalRequestName: 'r-before-prod', conditions: [] }]);
    expect(h.stage('staging').afterStageTaskStatus).toEqual([{ type: 'TimedWait', conditions: [] }]);
    expect(h.run.status).toMatchObject({
      stagedUpdateStrategySnapshot: { stages },
      resourceSnapshotIndexUsed: '3',
      policyObservedClusterCount: 6,
    });
    expect(h.runCond('Initialized')).toMatchObject({ status: 'True', reason: 'UpdateRunInitializedSuccessfully', observedGeneration: 1 });
    // Initialize does not start anything, and no approval request exists before its gate.
    h.step(5);
    expect(h.started('canary')).toEqual([]);
    expect(out.approvalsToCreate).toEqual([]);
  });

  it('creates the approval request only at the gate, and proceeds only on Approved=True of its current generation', () => {
    const h = harness();
    expect(h.step().approvalsToCreate).toEqual([]);
    expect(h.started('canary')).toEqual(['canary-1']);
    const gate = h.step(1);
    expect(h.succeeded('canary')).toEqual(['canary-1']);
    expect(gate.approvalsToCreate).toEqual([{ name: 'r-after-canary', stage: 'canary', taskType: 'afterStage' }]);
    expect(h.runCond('Progressing')).toMatchObject({ status: 'False', reason: 'UpdateRunWaiting' });
    h.step(60);
    h.approve('r-after-canary', 0); // a stale generation
    expect(h.step(1).approvalsToAccept).toEqual([]);
    expect(h.stage('canary').conditions.find((c) => c.type === 'Succeeded')).toBeUndefined();
    h.approve('r-after-canary', 1);
    expect(h.step(1).approvalsToAccept).toEqual(['r-after-canary']);
    expect(h.stage('canary').afterStageTaskStatus[0]!.conditions.map((c) => c.type)).toEqual([
      'ApprovalRequestCreated',
      'ApprovalRequestApproved',
    ]);
    expect(h.stage('canary').conditions.find((c) => c.type === 'Succeeded')?.status).toBe('True');
    h.step();
    expect(h.started('staging')).toEqual(['stage-1']);
    expect(h.created).toEqual(['r-after-canary']);
  });

  it('does not accept an approval written for an older generation of the request', () => {
    const h = harness();
    h.step();
    h.step(1);
    h.approve('r-after-canary', 1);
    h.approvals.get('r-after-canary')!.metadata.generation = 2; // the request changed after the approval was written
    expect(h.step(1).approvalsToAccept).toEqual([]);
    expect(h.runCond('Progressing')?.reason).toBe('UpdateRunWaiting');
  });

  it('recreates an approval request deleted before acceptance; ignores un-approving after it', () => {
    const h = harness();
    h.step();
    h.step(1);
    h.approvals.delete('r-after-canary');
    expect(h.step(1).approvalsToCreate.map((a) => a.name)).toEqual(['r-after-canary']);
    h.approve('r-after-canary');
    h.step(1);
    h.approvals.get('r-after-canary')!.status!.conditions = [];
    h.step();
    expect(h.started('staging')).toEqual(['stage-1']);
  });

  it('writes WaitTimeElapsed=True only once the wait has passed since the stage began waiting, never False', () => {
    const h = harness();
    h.step();
    h.step(1);
    h.approve('r-after-canary');
    h.step(1);
    h.step(); // staging starts
    h.step(1); // its cluster is done: waiting 10 s from now
    const waitingSince = h.stage('staging').conditions.find((c) => c.type === 'Progressing');
    expect(waitingSince).toMatchObject({
      status: 'False',
      reason: 'StageUpdatingWaiting',
      lastTransitionTime: new Date(t0 + 3000).toISOString(),
    });
    h.step(5);
    h.step(4.5);
    expect(h.stage('staging').afterStageTaskStatus[0]!.conditions).toEqual([]);
    expect(h.stage('staging').conditions.find((c) => c.type === 'Progressing')?.lastTransitionTime).toBe(waitingSince!.lastTransitionTime);
    h.step(0.5);
    expect(h.stage('staging').afterStageTaskStatus[0]!.conditions).toEqual([
      expect.objectContaining({ type: 'WaitTimeElapsed', status: 'True' }),
    ]);
    expect(h.stage('staging').conditions.find((c) => c.type === 'Succeeded')?.status).toBe('True');
    expect(h.step().approvalsToCreate).toEqual([{ name: 'r-before-prod', stage: 'prod', taskType: 'beforeStage' }]);
    expect(h.started('prod')).toEqual([]);
  });

  it('never has more clusters in flight than maxConcurrency (50% of 4 = 2), and succeeds at the end', () => {
    const h = harness();
    toProd(h);
    let maxInFlight = 0;
    for (let i = 0; i < 12; i++) {
      h.step(0.5);
      const inFlight = h.started('prod').filter((c) => !h.succeeded('prod').includes(c)).length;
      maxInFlight = Math.max(maxInFlight, inFlight);
    }
    expect(maxInFlight).toBe(2);
    expect(h.succeeded('prod')).toHaveLength(4);
    h.step();
    expect(h.runCond('Succeeded')).toMatchObject({ status: 'True', reason: 'UpdateRunSucceeded' });
  });

  it('on Stop lets in-flight clusters finish and starts no new ones; Run resumes', () => {
    const h = harness();
    toProd(h);
    h.step(); // p-2 and p-3 start
    expect(h.started('prod')).toEqual(['p-2', 'p-3']);
    h.setState('Stop');
    h.step(0.5);
    expect(h.runCond('Progressing')).toMatchObject({ status: 'False', reason: 'UpdateRunStopping' });
    expect(h.stage('prod').conditions.find((c) => c.type === 'Progressing')?.reason).toBe('StageUpdatingStopping');
    h.step(0.5);
    expect(h.succeeded('prod')).toEqual(['p-2', 'p-3']);
    expect(h.runCond('Progressing')).toMatchObject({ status: 'False', reason: 'UpdateRunStopped' });
    h.step(5);
    expect(h.started('prod')).toEqual(['p-2', 'p-3']);
    h.setState('Run');
    h.step();
    expect(h.started('prod')).toEqual(['p-2', 'p-3', 'p-1', 'p-4']);
    expect(h.runCond('Progressing')).toMatchObject({ status: 'True', reason: 'UpdateRunProgressing' });
  });

  it('on Stop at an approval gate, an approval does not move it until Run', () => {
    const h = harness();
    h.step();
    h.step(1);
    h.setState('Stop');
    h.approve('r-after-canary');
    h.step(1);
    expect(h.runCond('Progressing')?.reason).toBe('UpdateRunStopped');
    expect(h.stage('canary').conditions.find((c) => c.type === 'Succeeded')).toBeUndefined();
    h.setState('Run');
    expect(h.step().approvalsToAccept).toEqual(['r-after-canary']);
  });

  it('halts the stage and the run on the first failed cluster', () => {
    const h = harness(['p-3']);
    toProd(h);
    for (let i = 0; i < 10; i++) h.step(0.5);
    const p3 = h.stage('prod').clusters.find((c) => c.clusterName === 'p-3');
    expect(p3?.conditions.find((c) => c.type === 'Succeeded')).toMatchObject({ status: 'False', reason: 'ClusterUpdatingFailed' });
    expect(h.runCond('Succeeded')).toMatchObject({ status: 'False', reason: 'UpdateRunFailed' });
    expect(h.runCond('Progressing')).toMatchObject({ status: 'False', reason: 'UpdateRunFailed' });
    expect(h.started('prod')).not.toContain('p-4');
    const frozen = JSON.stringify(h.run.status);
    h.step(10);
    expect(JSON.stringify(h.run.status)).toBe(frozen);
  });

  it('with fleetdeck.dev/testbed-fail: keep-going, fails that cluster but goes on with the others until stopped', () => {
    const mine: MemberClusterRef[] = [
      { name: 'a', labels: { w: '1', 'fleetdeck.dev/testbed-fail': 'keep-going' } },
      { name: 'b', labels: { w: '1' } },
    ];
    let run: RunObject = { metadata: { name: 'k', generation: 1 }, spec: { stagedRolloutStrategyName: 's', state: 'Run' } };
    const step = (seconds: number) => {
      const out = advance({
        run,
        strategy: { stages: [{ name: 'one', labelSelector: { matchLabels: { w: '1' } } }] },
        clusters: mine,
        approvals: new Map(),
        now: new Date(t0 + seconds * 1000),
        secondsPerCluster: 1,
      });
      run = { ...run, status: out.status };
    };
    for (const t of [0, 0, 1.5, 1.5, 3, 3]) step(t);
    const cluster = (name: string) => run.status!.stagesStatus![0]!.clusters.find((c) => c.clusterName === name)!;
    const cond = (list: { type: string }[] | undefined, type: string) => list?.find((c) => c.type === type);
    expect(cond(cluster('a').conditions, 'Succeeded')).toMatchObject({ status: 'False', reason: 'ClusterUpdatingFailed' });
    expect(cond(cluster('b').conditions, 'Succeeded')).toMatchObject({ status: 'True' });
    // The run neither fails nor succeeds: it waits for whoever watches the failures.
    expect(cond(run.status!.conditions, 'Succeeded')).toBeUndefined();
    expect(cond(run.status!.conditions, 'Progressing')).toMatchObject({ status: 'True', reason: 'UpdateRunProgressing' });
    run = { ...run, spec: { ...run.spec, state: 'Stop' } };
    step(4);
    expect(cond(run.status!.conditions, 'Progressing')).toMatchObject({ status: 'False', reason: 'UpdateRunStopped' });
  });

  it('is idempotent: the same inputs give the same status', () => {
    const h = harness();
    h.step();
    h.step(1);
    const input: AdvanceInput = {
      run: h.run,
      strategy: { stages },
      clusters,
      approvals: h.approvals,
      now: new Date(t0 + 1000),
      secondsPerCluster: 1,
    };
    expect(advance(input).status).toEqual(advance(input).status);
    expect(advance({ ...input, run: { ...h.run, status: advance(input).status } }).status).toEqual(advance(input).status);
  });
});

describe('helpers', () => {
  it('match label selectors with set-based expressions', () => {
    const labels = { env: 'production', tier: 'edge' };
    expect(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge', 'canary'] }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['edge'] }] }, labels)).toBe(false);
    expect(matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { env: 'staging' } }, labels)).toBe(false);
  });
  it('parse Go durations and concurrency', () => {
    expect(parseGoDuration('1h30m')).toBe(5400);
    expect(() => parseGoDuration('1 hour')).toThrow();
    expect(concurrencyOf('25%', 10)).toBe(2);
    expect(concurrencyOf('10%', 3)).toBe(1);
    expect(concurrencyOf(3, 10)).toBe(3);
    expect(concurrencyOf(undefined, 10)).toBe(1);
  });
});
