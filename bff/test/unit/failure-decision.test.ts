import { describe, expect, it } from 'vitest';

import type { ClusterRolloutState } from '@fleetdeck/shared';

import { acting, decideFailure, failureKey, FAILURE_ANNOTATIONS } from '../../src/promotion/failure-decision.ts';
import type { SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { withFailureThreshold } from '../../src/sources/rollouts/failure-threshold.ts';
import { makeRollout } from '../helpers/rollout-fixtures.ts';

const ON = { enabled: true, onFailure: 'rollback' as const };
const PLAN = { toRevision: '1', fromRevision: '2', clusters: [], hiddenClusters: 0, note: 'back to 1' };

/** A run at revision 2 whose wave `staging` has clusters in these states (hidden ones included: the source holds all). */
function run(states: ClusterRolloutState[], extra: Partial<SourceRollout> = {}): SourceRollout {
  const r = makeRollout({ name: 'web', waves: [{ name: 'staging', clusters: states.map((_, i) => `c${i}`), state: 'Progressing' }] });
  const wave = { ...r.waves[0]!, clusters: states.map((state, i) => ({ cluster: `c${i}`, state })) };
  return {
    ...r,
    state: 'Progressing',
    currentWave: 'staging',
    revision: '2',
    waves: [wave],
    policy: { failureThreshold: 2, sourceFields: {} },
    rollback: PLAN,
    ...extra,
  };
}

describe('the failure threshold decision', () => {
  it('does nothing below the threshold', () => {
    expect(decideFailure(run(['Failed', 'Succeeded', 'Updating']), ON)).toMatchObject({ act: false });
  });

  it('acts when the current wave’s failed clusters reach the threshold: pause, then roll back, claimed per wave and revision', () => {
    expect(decideFailure(run(['Failed', 'Failed', 'Pending']), ON)).toEqual({
      act: true,
      wave: 'staging',
      failed: 2,
      total: 3,
      threshold: 2,
      key: 'staging@2',
      rollback: true,
    });
  });

  it('resumes a claim abandoned mid-way (still acting long after it began), even on the run it already stopped', () => {
    const clock = { now: Date.parse('2026-11-26T08:00:00Z'), staleMs: 45_000 };
    const claimed = (progress: string) => ({
      state: 'Stopped' as const,
      annotations: { [FAILURE_ANNOTATIONS.handled]: failureKey('staging', '2'), [FAILURE_ANNOTATIONS.progress]: progress },
    });
    // Abandoned: acting for a minute, longer than three lease terms.
    expect(decideFailure(run(['Failed', 'Failed'], claimed(acting(new Date(clock.now - 60_000)))), ON, clock)).toMatchObject({
      act: true,
      resume: true,
      rollback: true,
    });
    // Still being acted on, finished, or judged without a clock: left alone.
    expect(decideFailure(run(['Failed', 'Failed'], claimed(acting(new Date(clock.now - 10_000)))), ON, clock)).toMatchObject({
      act: false,
    });
    expect(decideFailure(run(['Failed', 'Failed'], claimed('done')), ON, clock)).toMatchObject({ act: false });
    expect(decideFailure(run(['Failed', 'Failed'], claimed(acting(new Date(clock.now - 60_000)))), ON)).toMatchObject({ act: false });
    // A run a person stopped, never claimed: not the rule's to act on.
    expect(decideFailure(run(['Failed', 'Failed'], { state: 'Stopped' }), ON, clock)).toMatchObject({ act: false });
  });

  it('does not act twice on a failure already claimed on the object, but does on a new revision', () => {
    const handled = { annotations: { [FAILURE_ANNOTATIONS.handled]: failureKey('staging', '2') } };
    expect(decideFailure(run(['Failed', 'Failed'], handled), ON)).toEqual({ act: false, why: 'this failure was already handled' });
    expect(decideFailure(run(['Failed', 'Failed'], { ...handled, revision: '3' }), ON)).toMatchObject({ act: true, key: 'staging@3' });
  });

  it('leaves finished and stopped rollouts alone; a failed Fleet bundle (never finished) is acted on', () => {
    for (const state of ['Succeeded', 'Failed', 'Stopped'] as const)
      expect(decideFailure(run(['Failed', 'Failed'], { state }), ON)).toMatchObject({ act: false });
    expect(decideFailure(run(['Failed', 'Failed'], { state: 'Failed', source: 'rancher-fleet' }), ON)).toMatchObject({ act: true });
  });

  it('only pauses under on-failure: pause (annotation or config), or with nothing to roll back to', () => {
    const paused = decideFailure(run(['Failed', 'Failed'], { annotations: { [FAILURE_ANNOTATIONS.onFailure]: 'pause' } }), ON);
    expect(paused).toMatchObject({ act: true, rollback: false });
    expect(decideFailure(run(['Failed', 'Failed']), { enabled: true, onFailure: 'pause' })).toMatchObject({ act: true, rollback: false });
    // The annotation wins over the config either way.
    const back = run(['Failed', 'Failed'], { annotations: { [FAILURE_ANNOTATIONS.onFailure]: 'rollback' } });
    expect(decideFailure(back, { enabled: true, onFailure: 'pause' })).toMatchObject({ act: true, rollback: true });
    const nothing = run(['Failed', 'Failed']);
    delete nothing.rollback;
    expect(decideFailure(nothing, ON)).toMatchObject({ act: true, rollback: false, note: 'nothing earlier succeeded to roll back to' });
  });

  it('does nothing without a threshold, with the rule off, or when no wave is current', () => {
    expect(decideFailure(run(['Failed', 'Failed'], { policy: { sourceFields: {} } }), ON)).toMatchObject({ act: false });
    expect(decideFailure(run(['Failed', 'Failed']), { enabled: false, onFailure: 'rollback' })).toMatchObject({ act: false });
    const none = run(['Failed', 'Failed']);
    delete none.currentWave;
    expect(decideFailure(none, ON)).toMatchObject({ act: false });
  });

  it('reads a KubeFleet or Fleet threshold from the fleetdeck.dev/failure-threshold annotation, only a positive whole number', () => {
    const policy = { sourceFields: {} };
    expect(withFailureThreshold(policy, { 'fleetdeck.dev/failure-threshold': '1' })).toEqual({
      failureThreshold: 1,
      sourceFields: { failureThreshold: 'metadata.annotations[fleetdeck.dev/failure-threshold]' },
    });
    for (const bad of ['0', '-1', '1.5', 'one', ''])
      expect(withFailureThreshold(policy, { 'fleetdeck.dev/failure-threshold': bad })).toBe(policy);
    // A source's own threshold is kept.
    const own = { failureThreshold: 3, sourceFields: { failureThreshold: 'demo' } };
    expect(withFailureThreshold(own, { 'fleetdeck.dev/failure-threshold': '1' })).toBe(own);
  });
});
