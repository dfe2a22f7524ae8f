import { describe, expect, it } from 'vitest';

import type { PlannedWave, RunPlan } from '../../src/sources/demo/rollouts/plan.ts';
import { simulateRun, type DemoAction } from '../../src/sources/demo/rollouts/simulate.ts';
import { toSourceRollout } from '../../src/sources/demo/rollouts/to-rollout.ts';

const T0 = Date.parse('2026-11-26T00:00:00Z');
const at = (s: number): number => T0 + s * 1000;
const iso = (s: number): string => new Date(at(s)).toISOString();

const clusters = (prefix: string, n: number, seconds = 10) =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${i + 1}`, seconds }));

function plan(waves: PlannedWave[]): RunPlan {
  return {
    name: 'demo-run',
    target: 'web',
    revision: 5,
    previousRevision: 4,
    startMs: T0,
    waves,
    policy: { maxConcurrent: 2, failureThreshold: 1, sourceFields: { maxConcurrent: 'demo scenario', failureThreshold: 'demo scenario' } },
  };
}

/** Three waves: a (3 clusters, 2 at once, then a 60 s wait), b (an approval before it, 1 at once), c. */
const gated = plan([
  { name: 'a', maxConcurrency: 2, clusters: clusters('a', 3), after: { kind: 'TimedWait', seconds: 60 } },
  { name: 'b', maxConcurrency: 1, clusters: clusters('b', 2), before: { kind: 'Approval' } },
  { name: 'c', maxConcurrency: 1, clusters: clusters('c', 1) },
]);

const view = (p: RunPlan, actions: DemoAction[], s: number) => {
  const r = toSourceRollout(simulateRun(p, actions, at(s)), at(s));
  if (!r) throw new Error('the run is gone');
  return r;
};
const states = (r: ReturnType<typeof view>, wave: number) => r.waves[wave]!.clusters.map((c) => c.state);

describe('the demo simulation', () => {
  it('updates at most maxConcurrency clusters of a wave at once, in order', () => {
    expect(states(view(gated, [], 0), 0)).toEqual(['Updating', 'Updating', 'Pending']);
    expect(states(view(gated, [], 10), 0)).toEqual(['Succeeded', 'Succeeded', 'Updating']);
    const r = view(gated, [], 15);
    expect(r.waves[0]).toMatchObject({
      state: 'Progressing',
      maxConcurrency: 2,
      progress: { total: 3, succeeded: 2, updating: 1, failed: 0 },
    });
    expect(r.waves[0]!.clusters[2]).toEqual({ cluster: 'a-3', state: 'Updating', startedAt: iso(10) });
    expect(r).toMatchObject({ state: 'Progressing', currentWave: 'a' });
  });

  it('counts a TimedWait down from when the wave finished, then lets the next wave go', () => {
    const waiting = view(gated, [], 30);
    expect(waiting.waves[0]).toMatchObject({ state: 'Waiting', finishedAt: iso(20) });
    expect(waiting.waves[0]!.gates).toEqual([
      { kind: 'TimedWait', position: 'after', state: 'Waiting', waitSeconds: 60, waitingSince: iso(20), elapsesAt: iso(80) },
    ]);
    expect(waiting.state).toBe('Waiting');
    expect(waiting.waves[1]!.gates[0]!.state).toBe('NotStarted');
    const elapsed = view(gated, [], 80);
    expect(elapsed.waves[0]).toMatchObject({ state: 'Succeeded' });
    expect(elapsed.waves[0]!.gates[0]!.state).toBe('Elapsed');
  });

  it('waits at an approval gate until someone approves, then proceeds from the approval', () => {
    const waiting = view(gated, [], 500);
    expect(waiting).toMatchObject({ state: 'AwaitingApproval', currentWave: 'b', awaitingApproval: { wave: 'b', position: 'before' } });
    expect(waiting.waves[1]).toMatchObject({ state: 'AwaitingApproval', progress: { succeeded: 0, updating: 0 } });
    expect(waiting.waves[1]!.gates[0]).toEqual({
      kind: 'Approval',
      position: 'before',
      state: 'Waiting',
      approvalName: 'demo-run-before-b',
      waitingSince: iso(80),
    });
    const approve: DemoAction = { kind: 'approve', at: at(600), actor: 'ada@demo', wave: 'b', position: 'before', comment: 'go' };
    // An approval that has not happened yet at t changes nothing.
    expect(view(gated, [approve], 599)).toEqual(view(gated, [], 599));
    const approved = view(gated, [approve], 605);
    expect(approved.awaitingApproval).toBeUndefined();
    expect(approved.waves[1]!.gates[0]).toMatchObject({
      state: 'Approved',
      accepted: true,
      approvedBy: 'ada@demo',
      approvedAt: iso(600),
      comment: 'go',
    });
    expect(approved.waves[1]).toMatchObject({ state: 'Progressing', startedAt: iso(600) });
    expect(approved.history).toEqual([
      { at: iso(600), actor: 'ada@demo', action: 'approve', wave: 'b', result: 'approved', comment: 'go', from: 'upstream' },
    ]);
    const done = view(gated, [approve], 630);
    expect(done).toMatchObject({ state: 'Succeeded', progress: { total: 6, succeeded: 6 }, updatedAt: iso(630) });
    expect(done.currentWave).toBeUndefined();
  });

  it('a stopped run lets in-flight clusters finish, starts no new one, and goes on when resumed', () => {
    const one = plan([{ name: 'a', maxConcurrency: 2, clusters: clusters('a', 4) }]);
    const pause: DemoAction = { kind: 'pause', at: at(5), actor: 'pat@demo', reason: 'looks odd' };
    const stopping = view(one, [pause], 8);
    expect(stopping).toMatchObject({ state: 'Stopped', message: 'stopped by pat@demo: looks odd' });
    expect(states(stopping, 0)).toEqual(['Updating', 'Updating', 'Pending', 'Pending']);
    const stopped = view(one, [pause], 300);
    expect(states(stopped, 0)).toEqual(['Succeeded', 'Succeeded', 'Pending', 'Pending']);
    expect(stopped.waves[0]!.state).toBe('Stopped');
    const resume: DemoAction = { kind: 'resume', at: at(400), actor: 'pat@demo' };
    const resumed = view(one, [pause, resume], 405);
    expect(resumed.state).toBe('Progressing');
    expect(resumed.waves[0]!.clusters[2]).toEqual({ cluster: 'a-3', state: 'Updating', startedAt: iso(400) });
    expect(resumed.history.map((h) => [h.action, h.comment])).toEqual([
      ['pause', 'looks odd'],
      ['resume', undefined],
    ]);
    expect(view(one, [pause, resume], 410).state).toBe('Succeeded');
  });

  it('one failed cluster fails the wave and the run; later waves never start', () => {
    const failing = plan([
      {
        name: 'a',
        maxConcurrency: 1,
        clusters: [
          { name: 'a-1', seconds: 5, failure: 'ImagePullBackOff: x not found' },
          { name: 'a-2', seconds: 10 },
        ],
      },
      { name: 'b', maxConcurrency: 1, clusters: clusters('b', 1) },
    ]);
    const r = view(failing, [], 1000);
    expect(r).toMatchObject({ state: 'Failed', currentWave: 'a', progress: { total: 3, failed: 1, succeeded: 0 } });
    expect(r.message).toContain('ImagePullBackOff: x not found');
    expect(r.waves[0]).toMatchObject({ state: 'Failed', finishedAt: iso(5) });
    expect(r.waves[0]!.clusters).toEqual([
      { cluster: 'a-1', state: 'Failed', message: 'ImagePullBackOff: x not found', startedAt: iso(0), finishedAt: iso(5) },
      { cluster: 'a-2', state: 'Pending' },
    ]);
    expect(r.waves[1]).toMatchObject({ state: 'NotStarted', progress: { succeeded: 0, updating: 0 } });
    expect(r.conditions.find((c) => c.type === 'Succeeded')).toMatchObject({ status: 'False', reason: 'UpdateRunFailed' });
    expect(r.rollback).toMatchObject({ toRevision: '4', fromRevision: '5', clusters: ['a-1'] });
  });

  it('is a pure function of plan, actions and time', () => {
    const actions: DemoAction[] = [
      { kind: 'pause', at: at(3), actor: 'p' },
      { kind: 'resume', at: at(40), actor: 'p' },
    ];
    for (const s of [0, 3, 12, 41, 90, 200]) expect(view(gated, actions, s)).toEqual(view(gated, [...actions], s));
    expect(toSourceRollout(simulateRun(gated, [{ kind: 'abort', at: at(7), actor: 'p' }], at(7)), at(7))).toBeUndefined();
  });
});
