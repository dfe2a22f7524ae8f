import { describe, expect, it } from 'vitest';

import {
  advance,
  concurrencyOf,
  matchesSelector,
  parseGoDuration,
  type AdvanceInput,
  type ApprovalObject,
  type MemberClusterRef,
  type RunObject,
  type Stage,
} from '../../src/controller/advance.ts';

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

function harness(fail: string[] = []) {
  let run: RunObject = {
    metadata: { name: 'r', generation: 1 },
    spec: { stagedRolloutStrategyName: 's', state: 'Run', resourceSnapshotIndex: '3' },
  };
  const approvals = new Map<string, ApprovalObject>();
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
    for (const a of out.approvalsToCreate) approvals.set(a.name, { metadata: { name: a.name, generation: 1 }, status: { conditions: [] } });
    for (const name of out.approvalsToAccept) approvals.get(name)!.status!.conditions!.push({ type: 'ApprovalAccepted', status: 'True' });
    run = { ...run, status: out.status };
    return out;
  };
  const approve = (name: string, generation = 1) =>
    approvals.get(name)!.status!.conditions!.push({ type: 'Approved', status: 'True', observedGeneration: generation });
  const stage = (name: string) => run.status!.stagesStatus!.find((s) => s.stageName === name)!;
  const started = (name: string) =>
    stage(name)
      .clusters.filter((c) => c.conditions.some((k) => k.type === 'Started'))
      .map((c) => c.clusterName);
  const succeeded = (name: string) =>
    stage(name)
      .clusters.filter((c) => c.conditions.some((k) => k.type === 'Succeeded' && k.status === 'True'))
      .map((c) => c.clusterName);
  const runCond = (type: string) => run.status!.conditions!.find((c) => c.type === type);
  return {
    step,
    approve,
    stage,
    started,
    succeeded,
    runCond,
    setState: (state: string) => (run = { ...run, spec: { ...run.spec, state } }),
    approvals,
    get run() {
      return run;
    },
  };
}

describe('advance (fleet controller stand-in)', () => {
  it('initializes: stage clusters by selector, sorted by the sorting label, never repeated', () => {
    const h = harness();
    h.step();
    expect(h.stage('canary').clusters.map((c) => c.clusterName)).toEqual(['canary-1']);
    expect(h.stage('prod').clusters.map((c) => c.clusterName)).toEqual(['p-2', 'p-3', 'p-1', 'p-4']);
    expect(h.runCond('Initialized')?.status).toBe('True');
    expect(h.run.status!.stagedUpdateStrategySnapshot).toEqual({ stages });
  });

  it('runs a wave, stops at the approval gate, and goes on once Approved=True of the current generation', () => {
    const h = harness();
    h.step();
    expect(h.started('canary')).toEqual(['canary-1']);
    const gate = h.step(1);
    expect(h.succeeded('canary')).toEqual(['canary-1']);
    expect(gate.approvalsToCreate).toEqual([{ name: 'r-after-canary', stage: 'canary' }]);
    expect(h.runCond('Progressing')).toMatchObject({ status: 'False', reason: 'UpdateRunWaiting' });
    h.step(60);
    expect(h.started('staging')).toEqual([]);
    h.approve('r-after-canary', 0); // an approval of a stale generation does not count
    h.step(1);
    expect(h.started('staging')).toEqual([]);
    h.approve('r-after-canary');
    const accepted = h.step(1);
    expect(accepted.approvalsToAccept).toEqual(['r-after-canary']);
    expect(h.stage('canary').conditions.find((c) => c.type === 'Succeeded')?.status).toBe('True');
    h.step();
    expect(h.started('staging')).toEqual(['stage-1']);
  });

  it('waits the TimedWait after a wave, then needs the before-approval of the next', () => {
    const h = harness();
    h.step();
    h.step(1);
    h.approve('r-after-canary');
    h.step(1);
    h.step(); // staging starts
    h.step(1); // staging cluster done; waiting 10 s
    h.step(5);
    expect(h.stage('staging').conditions.find((c) => c.type === 'Succeeded')).toBeUndefined();
    h.step(6);
    expect(h.stage('staging').conditions.find((c) => c.type === 'Succeeded')?.status).toBe('True');
    const before = h.step();
    expect(before.approvalsToCreate).toEqual([{ name: 'r-before-prod', stage: 'prod' }]);
    expect(h.started('prod')).toEqual([]);
  });

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

  it('never has more clusters in flight than maxConcurrency (50% of 4 = 2), and succeeds at the end', () => {
    const h = harness();
    toProd(h);
    let maxInFlight = 0;
    for (let i = 0; i < 12; i++) {
      h.step(0.5);
      const inFlight = h
        .stage('prod')
        .clusters.filter((c) => c.conditions.some((k) => k.type === 'Started') && !c.conditions.some((k) => k.type === 'Succeeded')).length;
      maxInFlight = Math.max(maxInFlight, inFlight);
    }
    expect(maxInFlight).toBe(2);
    expect(h.succeeded('prod')).toHaveLength(4);
    h.step();
    expect(h.runCond('Succeeded')?.status).toBe('True');
  });

  it('pauses on Stop and resumes on Run', () => {
    const h = harness();
    h.step();
    h.setState('Stop');
    h.step(5);
    expect(h.runCond('Progressing')).toMatchObject({ status: 'False', reason: 'UpdateRunStopped' });
    expect(h.succeeded('canary')).toEqual([]);
    h.setState('Run');
    h.step();
    expect(h.succeeded('canary')).toEqual(['canary-1']);
  });

  it('stops the stage and the run on the first failed cluster', () => {
    const h = harness(['p-3']);
    toProd(h);
    for (let i = 0; i < 10; i++) h.step(0.5);
    expect(
      h
        .stage('prod')
        .clusters.find((c) => c.clusterName === 'p-3')
        ?.conditions.find((c) => c.type === 'Succeeded')?.status,
    ).toBe('False');
    expect(h.runCond('Succeeded')).toMatchObject({ status: 'False', reason: 'UpdateRunFailed' });
    expect(h.started('prod')).not.toContain('p-4');
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
