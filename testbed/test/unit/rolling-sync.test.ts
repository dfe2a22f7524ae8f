import { describe, expect, it } from 'vitest';

import { maxUpdateOf, planRollingSync, stepMatches, type RollingSyncApp } from '../../src/argocd/rolling-sync.ts';

const T0 = new Date('2026-11-26T10:00:00.000Z');
const T1 = new Date('2026-11-26T10:00:05.000Z');

const step = (env: string, maxUpdate?: number | string) => ({
  matchExpressions: [{ key: 'env', operator: 'In', values: [env] }],
  ...(maxUpdate !== undefined && { maxUpdate }),
});

function appSet(steps: unknown[], applicationStatus?: unknown[]): Record<string, unknown> {
  return {
    metadata: { name: 'guestbook', namespace: 'argocd' },
    spec: { strategy: { type: 'RollingSync', rollingSync: { steps } } },
    ...(applicationStatus && { status: { applicationStatus } }),
  };
}

const app = (name: string, env: string | undefined, over: Partial<RollingSyncApp> = {}): RollingSyncApp => ({
  name,
  labels: env ? { env } : {},
  sync: 'OutOfSync',
  health: 'Healthy',
  syncing: false,
  ...over,
});

type Row = { application: string; status: string; step: string };
const statusOf = (plan: { applicationStatus: Record<string, unknown>[] }, name: string) =>
  plan.applicationStatus.find((s) => s.application === name) as Row | undefined;

/** Feeds each plan's status back as the stand-in does, with the apps as they are at that moment. */
function next(set: Record<string, unknown>, plan: { applicationStatus: Record<string, unknown>[] }) {
  return { ...set, status: { applicationStatus: plan.applicationStatus } };
}

describe('planRollingSync', () => {
  const steps = [step('staging', 1), step('production', 0)];
  const apps = [app('s1', 'staging'), app('s2', 'staging'), app('p1', 'production'), app('p2', 'production')];

  it('starts every app Waiting in its 1-based step, then makes at most maxUpdate of the first step Pending and syncs them', () => {
    const plan = planRollingSync(appSet(steps), apps, T0);
    expect(plan.applicationStatus.map((s) => [s.application, s.status, s.step])).toEqual([
      ['s1', 'Pending', '1'],
      ['s2', 'Waiting', '1'],
      ['p1', 'Waiting', '2'],
      ['p2', 'Waiting', '2'],
    ]);
    expect(plan.toSync).toEqual(['s1']);
    expect(plan.message).toBe('ApplicationSet is performing rollout of step 1');
    expect(plan.progressing).toBe(true);
    expect(statusOf(plan, 's1')).toMatchObject({ lastTransitionTime: '2026-11-26T10:00:00Z' });
  });

  it('walks the first step one app at a time, then stops before a maxUpdate 0 step until its apps are synced by hand', () => {
    let set = next(appSet(steps), planRollingSync(appSet(steps), apps, T0));
    // s1 is syncing: Progressing, and s2 still waits (maxUpdate 1).
    let plan = planRollingSync(set, [{ ...apps[0]!, syncing: true }, apps[1]!, apps[2]!, apps[3]!], T1);
    expect(statusOf(plan, 's1')?.status).toBe('Progressing');
    expect(statusOf(plan, 's2')?.status).toBe('Waiting');
    expect(plan.toSync).toEqual([]);
    set = next(set, plan);
    // s1 done: Healthy, then s2 chosen in the same pass.
    const s1Done = { ...apps[0]!, sync: 'Synced' as const };
    plan = planRollingSync(set, [s1Done, apps[1]!, apps[2]!, apps[3]!], T1);
    expect(statusOf(plan, 's1')?.status).toBe('Healthy');
    expect(plan.toSync).toEqual(['s2']);
    set = next(set, plan);
    const s2Done = { ...apps[1]!, sync: 'Synced' as const };
    plan = planRollingSync(set, [s1Done, { ...s2Done, syncing: true }, apps[2]!, apps[3]!], T1);
    set = next(set, plan);
    plan = planRollingSync(set, [s1Done, s2Done, apps[2]!, apps[3]!], T1);
    expect(statusOf(plan, 's2')?.status).toBe('Healthy');
    // Step 2 is open, but maxUpdate 0: nothing is chosen, ever, while nobody syncs by hand.
    for (let i = 0; i < 3; i++) {
      plan = planRollingSync(next(set, plan), [s1Done, s2Done, apps[2]!, apps[3]!], T1);
      expect(plan.toSync).toEqual([]);
      expect(statusOf(plan, 'p1')?.status).toBe('Waiting');
    }
    expect(plan.message).toBe('ApplicationSet is performing rollout of step 2');
    // Synced by hand (the approval): Waiting → Healthy, and the rollout completes.
    const synced = (a: RollingSyncApp) => ({ ...a, sync: 'Synced' as const });
    plan = planRollingSync(next(set, plan), [s1Done, s2Done, synced(apps[2]!), synced(apps[3]!)], T1);
    expect(plan.applicationStatus.every((s) => s.status === 'Healthy')).toBe(true);
    expect(plan.message).toBe('ApplicationSet Rollout has completed');
    expect(plan.progressing).toBe(false);
  });

  it('never opens a later step while an earlier app is not Healthy, even with maxUpdate unset', () => {
    const plan = planRollingSync(appSet([step('staging'), step('production')]), apps, T0);
    expect(plan.toSync).toEqual(['s1', 's2']);
    expect(statusOf(plan, 'p1')?.status).toBe('Waiting');
  });

  it('treats an empty step as done and leaves apps matching no step out of the rollout (step -1)', () => {
    const set = appSet([step('dev'), step('staging')]);
    const plan = planRollingSync(set, [app('s1', 'staging'), app('x', 'qa'), app('nolabel', undefined)], T0);
    expect(plan.toSync).toEqual(['s1']);
    expect(statusOf(plan, 'x')).toMatchObject({ status: 'Waiting', step: '-1' });
    expect(statusOf(plan, 'nolabel')).toMatchObject({ status: 'Waiting', step: '-1' });
    // The -1 apps do not hold the rollout open.
    const appsNow = [app('s1', 'staging', { sync: 'Synced' }), app('x', 'qa')];
    // Pending → Progressing (its sync ran), then → Healthy: one transition per pass.
    const progressing = planRollingSync(next(set, plan), appsNow, T1);
    expect(statusOf(progressing, 's1')?.status).toBe('Progressing');
    const done = planRollingSync(next(set, progressing), appsNow, T1);
    expect(done.message).toBe('ApplicationSet Rollout has completed');
  });

  it('sends a Healthy app back to Waiting when its target revision changes', () => {
    const set = appSet(
      [step('staging')],
      [
        {
          application: 's1',
          status: 'Healthy',
          step: '1',
          message: '',
          lastTransitionTime: '2026-11-26T09:00:00Z',
          targetRevisions: ['aaa'],
        },
      ],
    );
    const plan = planRollingSync(set, [app('s1', 'staging', { revisions: ['bbb'] })], T0);
    // Waiting, then chosen at once (no limit): Pending with the new revision.
    expect(statusOf(plan, 's1')).toMatchObject({ status: 'Pending', targetRevisions: ['bbb'] });
    expect(plan.toSync).toEqual(['s1']);
  });

  it('keeps a Pending app Pending until its sync starts, and does not sync an app whose operation is already set', () => {
    const pending = {
      application: 's1',
      status: 'Pending',
      step: '1',
      message: '',
      lastTransitionTime: '2026-11-26T10:00:00Z',
      targetRevisions: [],
    };
    const set = appSet([step('staging')], [pending]);
    expect(planRollingSync(set, [app('s1', 'staging', { operationStartedAt: '2026-11-26T09:59:00Z' })], T1).toSync).toEqual(['s1']);
    const started = planRollingSync(set, [app('s1', 'staging', { operationStartedAt: '2026-11-26T10:00:01Z' })], T1);
    expect(statusOf(started, 's1')?.status).toBe('Progressing');
    expect(started.toSync).toEqual([]);
  });

  it('is a no-op for AllAtOnce sets and sets without steps', () => {
    const allAtOnce = { spec: { strategy: { type: 'AllAtOnce' } } };
    expect(planRollingSync(allAtOnce, apps, T0)).toEqual({ toSync: [], applicationStatus: [], message: '', progressing: false });
    expect(planRollingSync(appSet([]), apps, T0).applicationStatus).toEqual([]);
  });
});

describe('maxUpdate and matchExpressions as upstream reads them', () => {
  it('rounds percentages down with a floor of 1 (except 0%), and leaves unset unlimited', () => {
    expect(maxUpdateOf(undefined, 10)).toBeUndefined();
    expect(maxUpdateOf(0, 10)).toBe(0);
    expect(maxUpdateOf(3, 10)).toBe(3);
    expect(maxUpdateOf('25%', 10)).toBe(2);
    expect(maxUpdateOf('10%', 3)).toBe(1);
    expect(maxUpdateOf('0%', 10)).toBe(0);
    expect(maxUpdateOf('100%', 7)).toBe(7);
    expect(maxUpdateOf('bogus', 7)).toBe(1);
  });

  it('needs every expression; In needs the label, NotIn passes without it; unknown operators never match', () => {
    const s = (matchExpressions: { key: string; operator: string; values: string[] }[]) => ({ matchExpressions });
    expect(stepMatches(s([{ key: 'env', operator: 'In', values: ['a', 'b'] }]), { env: 'b' })).toBe(true);
    expect(stepMatches(s([{ key: 'env', operator: 'In', values: ['a'] }]), {})).toBe(false);
    expect(stepMatches(s([{ key: 'env', operator: 'NotIn', values: ['a'] }]), {})).toBe(true);
    expect(stepMatches(s([{ key: 'env', operator: 'NotIn', values: ['a'] }]), { env: 'a' })).toBe(false);
    expect(stepMatches(s([{ key: 'env', operator: 'Exists', values: [] }]), { env: 'a' })).toBe(false);
    expect(
      stepMatches(
        s([
          { key: 'env', operator: 'In', values: ['a'] },
          { key: 'tier', operator: 'NotIn', values: ['edge'] },
        ]),
        { env: 'a', tier: 'edge' },
      ),
    ).toBe(false);
    expect(stepMatches(s([]), { anything: 'x' })).toBe(true);
  });
});
