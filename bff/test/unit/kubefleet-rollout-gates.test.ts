import { describe, expect, it } from 'vitest';

import {
  T,
  c,
  started,
  done,
  stage,
  raw,
  INIT,
  approval,
  map,
  canaryDone,
  stagingWaiting,
  succeeded,
} from './kubefleet-rollout-fixtures.ts';

describe('mapping gates: approvals and timed waits', () => {
  it('a run at an after-stage approval is AwaitingApproval, with the request named and the gate waiting', () => {
    const r = map(
      raw({
        state: 'Run',
        conditions: [INIT, c('Progressing', 'False', 'UpdateRunWaiting', T(4), 'waiting for approval r1-after-canary')],
        stages: [canaryDone(), stage('staging'), stage('prod')],
      }),
      [approval('r1-after-canary', 'canary', 1, [])],
    );
    expect(r.state).toBe('AwaitingApproval');
    expect(r.awaitingApproval).toEqual({ wave: 'canary', position: 'after' });
    expect(r.currentWave).toBe('canary');
    expect(r.waves[0]!.state).toBe('AwaitingApproval');
    expect(r.waves[0]!.gates).toEqual([
      { kind: 'Approval', position: 'after', state: 'Waiting', approvalName: 'r1-after-canary', accepted: false, waitingSince: T(5) },
    ]);
    expect(r.message).toBe('waiting for approval r1-after-canary');
    expect(r.waves[2]!.gates).toEqual([{ kind: 'Approval', position: 'before', state: 'NotStarted', approvalName: 'r1-before-prod' }]);
  });

  it('a gate approved by Fleetdeck shows who, when, the comment, acceptance, and a history line', () => {
    const approvedCond = {
      ...c('Approved', 'True', 'ApprovedViaFleetdeck', T(7), 'Approved by ada@example.com via Fleetdeck: looks good: ship'),
      observedGeneration: 1,
    };
    const obj = raw({
      state: 'Run',
      conditions: [INIT, c('Progressing', 'False', 'UpdateRunWaiting')],
      stages: [canaryDone(), stage('staging'), stage('prod')],
    });
    const notAccepted = map(obj, [approval('r1-after-canary', 'canary', 1, [approvedCond])]);
    expect(notAccepted.waves[0]!.gates[0]).toMatchObject({
      state: 'Approved',
      accepted: false,
      approvedBy: 'ada@example.com',
      approvedAt: T(7),
      comment: 'looks good: ship',
    });
    expect(notAccepted.awaitingApproval).toBeUndefined();
    expect(notAccepted.history).toEqual([
      {
        at: T(7),
        actor: 'ada@example.com',
        action: 'approve',
        wave: 'canary',
        result: 'approved',
        comment: 'looks good: ship',
        from: 'upstream',
      },
    ]);
    const accepted = map(obj, [
      approval('r1-after-canary', 'canary', 1, [approvedCond, c('ApprovalAccepted', 'True', 'ApprovalAccepted', T(8))]),
    ]);
    expect(accepted.waves[0]!.gates[0]).toMatchObject({ state: 'Approved', accepted: true });
    expect(accepted.history[0]!.result).toBe('accepted');
  });

  it('an approval written for an older generation does not count; one written outside Fleetdeck names nobody', () => {
    const obj = raw({
      state: 'Run',
      conditions: [INIT, c('Progressing', 'False', 'UpdateRunWaiting')],
      stages: [canaryDone(), stage('staging'), stage('prod')],
    });
    const stale = map(obj, [
      approval('r1-after-canary', 'canary', 2, [
        { ...c('Approved', 'True', 'ApprovedViaFleetdeck', T(7), 'Approved by x via Fleetdeck'), observedGeneration: 1 },
      ]),
    ]);
    expect(stale.waves[0]!.gates[0]!.state).toBe('Waiting');
    expect(stale.state).toBe('AwaitingApproval');
    const kubectl = map(obj, [
      approval('r1-after-canary', 'canary', 1, [
        { ...c('Approved', 'True', 'lgtm', T(7), 'Approved by x via Fleetdeck'), observedGeneration: 1 },
      ]),
    ]);
    expect(kubectl.waves[0]!.gates[0]!.approvedBy).toBeUndefined();
    expect(kubectl.history[0]!.actor).toBe('unknown (approved outside Fleetdeck)');
  });

  it('a before-stage approval waiting makes the next wave the current one', () => {
    const r = map(
      raw({
        state: 'Run',
        conditions: [INIT, c('Progressing', 'False', 'UpdateRunWaiting')],
        stages: [
          succeeded('canary', { c1: done(3) }),
          succeeded('staging', { s1: done(8) }),
          stage('prod', { before: [[c('ApprovalRequestCreated', 'True', 'ApprovalRequestCreated', T(20))]], clusters: { p1: [] } }),
        ],
      }),
    );
    expect(r.state).toBe('AwaitingApproval');
    expect(r.awaitingApproval).toEqual({ wave: 'prod', position: 'before' });
    expect(r.currentWave).toBe('prod');
    expect(r.waves[2]!.gates[0]).toMatchObject({ state: 'Waiting', waitingSince: T(20) });
  });

  it('a TimedWait counts down from when the stage began waiting plus the snapshot waitTime', () => {
    const fromClusters = map(
      raw({
        state: 'Run',
        conditions: [INIT, c('Progressing', 'False', 'UpdateRunWaiting')],
        stages: [succeeded('canary', { c1: done(3) }), stagingWaiting(), stage('prod')],
      }),
    );
    expect(fromClusters.state).toBe('Waiting');
    expect(fromClusters.currentWave).toBe('staging');
    expect(fromClusters.waves[1]!.state).toBe('Waiting');
    // The last cluster finished at T(10); 1h30m later it elapses.
    expect(fromClusters.waves[1]!.gates).toEqual([
      {
        kind: 'TimedWait',
        position: 'after',
        state: 'Waiting',
        waitSeconds: 5400,
        waitingSince: T(10),
        elapsesAt: new Date(Date.parse(T(100))).toISOString(),
      },
    ]);
    const fromCondition = map(
      raw({
        state: 'Run',
        conditions: [INIT],
        stages: [succeeded('canary', { c1: done(3) }), stagingWaiting([]), stage('prod')].map((s, i) =>
          i === 1 ? { ...s, conditions: [c('Progressing', 'False', 'StageUpdatingWaiting', T(12))] } : s,
        ),
      }),
    );
    expect(fromCondition.waves[1]!.gates[0]).toMatchObject({
      state: 'Waiting',
      waitingSince: T(12),
      elapsesAt: new Date(Date.parse(T(102))).toISOString(),
    });
    const elapsed = map(
      raw({
        state: 'Run',
        conditions: [INIT],
        stages: [
          succeeded('canary', { c1: done(3) }),
          stagingWaiting([], [[c('WaitTimeElapsed', 'True', 'AfterStageTaskWaitTimeElapsed', T(100))]]),
          stage('prod'),
        ],
      }),
    );
    expect(elapsed.waves[1]!.gates[0]!.state).toBe('Elapsed');
    const notYet = map(
      raw({
        state: 'Run',
        conditions: [INIT],
        stages: [stage('canary', { clusters: { c1: started(1) } }), stage('staging', { clusters: { s1: [] } }), stage('prod')],
      }),
    );
    expect(notYet.waves[1]!.gates).toEqual([{ kind: 'TimedWait', position: 'after', state: 'NotStarted', waitSeconds: 5400 }]);
  });
});
