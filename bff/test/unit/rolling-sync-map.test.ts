import { describe, expect, it } from 'vitest';

import { destinationIndex, mapDestination } from '../../src/sources/gitops/argocd/destination-map.ts';
import { mapAppSet, type MapInput } from '../../src/sources/gitops/argocd/rolling-sync-map.ts';
import {
  appSetView,
  appView,
  type AppObject,
  type AppSetObject,
  type AppSetView,
  type AppView,
} from '../../src/sources/gitops/argocd/rolling-sync-objects.ts';
import { waveNames } from '../../src/sources/gitops/argocd/rolling-sync-steps.ts';

const inventory = [
  { name: 'stg-a', tenant: 'client-a', annotations: { 'fleetdeck.dev/api-server': 'https://api.stg-a.example:6443' } },
  { name: 'stg-b', tenant: 'client-b', annotations: { 'fleetdeck.dev/api-server': 'https://api.stg-b.example' } },
  { name: 'prod-a', tenant: 'client-a', annotations: { 'fleetdeck.dev/api-server': 'https://api.prod-a.example' } },
  { name: 'prod-b', tenant: 'client-b', annotations: {} },
];
const index = destinationIndex(inventory);
const tenants = new Map(inventory.map((c) => [c.name, c.tenant]));

const inStep = (env: string, maxUpdate?: number | string) => ({
  matchExpressions: [{ key: 'env', operator: 'In', values: [env] }],
  ...(maxUpdate !== undefined && { maxUpdate }),
});

function set(
  applicationStatus: unknown[] = [],
  extra: Partial<AppSetObject> = {},
  steps: unknown[] = [inStep('staging', 1), inStep('production', 0)],
) {
  const view = appSetView({
    metadata: { name: 'guestbook', namespace: 'argocd', uid: 'u1', creationTimestamp: '2026-11-26T08:00:00Z' },
    spec: { strategy: { type: 'RollingSync', rollingSync: { steps } } },
    status: {
      applicationStatus,
      conditions: [{ type: 'RolloutProgressing', status: 'True', message: 'ApplicationSet is performing rollout of step 1' }],
    },
    ...extra,
  });
  if (!view) throw new Error('not a RollingSync set');
  return view;
}

function app(
  name: string,
  env: string | undefined,
  destination: { server?: string; name?: string },
  over: Partial<AppObject['status']> = {},
  operation?: unknown,
): AppView {
  const v = appView({
    metadata: {
      name,
      namespace: 'argocd',
      labels: env ? { env } : {},
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'guestbook' }],
    },
    spec: { destination },
    ...(operation !== undefined && { operation }),
    status: { sync: { status: 'OutOfSync', revision: 'c0ffee' }, health: { status: 'Healthy' }, ...over },
  });
  if (!v) throw new Error('not owned');
  return v;
}

const entry = (application: string, status: string, step: string, lastTransitionTime = '2026-11-26T09:00:00Z') => ({
  application,
  status,
  step,
  message: 'x',
  lastTransitionTime,
  targetRevisions: ['c0ffee'],
});

const input = (s: AppSetView, apps: AppView[]): MapInput => ({
  set: s,
  apps,
  clusterOf: (a) => mapDestination(a.destination, index),
  tenantOf: (c) => tenants.get(c),
});

const stagingA = (over?: Partial<AppObject['status']>, op?: unknown) =>
  app('gb-stg-a', 'staging', { server: 'HTTPS://api.stg-a.example:6443/' }, over, op);
const stagingB = (over?: Partial<AppObject['status']>, op?: unknown) => app('gb-stg-b', 'staging', { name: 'stg-b' }, over, op);
const prodA = (over?: Partial<AppObject['status']>, op?: unknown) =>
  app('gb-prod-a', 'production', { server: 'https://api.prod-a.example' }, over, op);

describe('a RollingSync ApplicationSet as a rollout', () => {
  it('maps steps to waves named by what they select, apps to their destination clusters, the limit to maxConcurrency', () => {
    const s = set([entry('gb-stg-a', 'Progressing', '1'), entry('gb-stg-b', 'Waiting', '1'), entry('gb-prod-a', 'Waiting', '2')]);
    const { rollout } = mapAppSet(input(s, [stagingA(undefined, { sync: {} }), stagingB(), prodA()]));
    expect(rollout.id).toBe('argocd~argocd~guestbook');
    expect(rollout.waves.map((w) => [w.name, w.index, w.state, w.maxConcurrency])).toEqual([
      ['staging', 0, 'Progressing', 1],
      ['production', 1, 'NotStarted', undefined],
    ]);
    expect(rollout.waves[0]!.clusters).toEqual([
      expect.objectContaining({ cluster: 'stg-a', state: 'Updating' }),
      { cluster: 'stg-b', state: 'Pending' },
    ]);
    expect(rollout.waves[1]!.gates).toEqual([{ kind: 'Approval', position: 'before', state: 'NotStarted' }]);
    expect(rollout.awaitingApproval).toBeUndefined();
    expect(rollout.state).toBe('Progressing');
    expect(rollout.currentWave).toBe('staging');
    expect(rollout.revision).toBe('c0ffee');
    expect(rollout.policy).toEqual({ maxConcurrent: 1, sourceFields: { maxConcurrent: 'spec.strategy.rollingSync.steps[].maxUpdate' } });
    expect(rollout.touches).toEqual(['stg-a', 'stg-b', 'prod-a']);
    // Clusters of two tenants: no single tenant.
    expect(rollout.tenant).toBeUndefined();
    expect(rollout.object).toMatchObject({ kind: 'ApplicationSet', name: 'guestbook', namespace: 'argocd' });
  });

  it('waits for approval before a maxUpdate 0 step once every earlier app is Healthy', () => {
    const s = set([
      entry('gb-stg-a', 'Healthy', '1', '2026-11-26T09:01:00Z'),
      entry('gb-stg-b', 'Healthy', '1', '2026-11-26T09:02:00Z'),
      entry('gb-prod-a', 'Waiting', '2', '2026-11-26T08:00:00Z'),
    ]);
    const synced = { sync: { status: 'Synced' } };
    const { rollout, steps } = mapAppSet(input(s, [stagingA(synced), stagingB(synced), prodA()]));
    const prod = rollout.waves[1]!;
    expect(prod.state).toBe('AwaitingApproval');
    expect(prod.gates).toEqual([{ kind: 'Approval', position: 'before', state: 'Waiting', waitingSince: '2026-11-26T09:02:00.000Z' }]);
    expect(prod.message).toMatch(/maxUpdate 0: Argo CD syncs none by itself/);
    expect(rollout.awaitingApproval).toEqual({ wave: 'production', position: 'before' });
    expect(rollout.state).toBe('AwaitingApproval');
    expect(rollout.waves[0]!.state).toBe('Succeeded');
    expect(steps.find((x) => x.wave === 'production')!.apps.map((a) => a.name)).toEqual(['gb-prod-a']);
  });

  it('shows the gate Approved by the person whose sync ran, and Succeeded once the step is Healthy', () => {
    const byHand = {
      operationState: { phase: 'Succeeded', startedAt: '2026-11-26T09:05:00Z', operation: { initiatedBy: { username: 'alice@demo' } } },
      sync: { status: 'Synced' },
    };
    const healthy = set([
      entry('gb-stg-a', 'Healthy', '1'),
      entry('gb-stg-b', 'Healthy', '1'),
      entry('gb-prod-a', 'Healthy', '2', '2026-11-26T09:06:00Z'),
    ]);
    const synced = { sync: { status: 'Synced' } };
    const { rollout } = mapAppSet(input(healthy, [stagingA(synced), stagingB(synced), prodA(byHand)]));
    expect(rollout.waves[1]!.gates[0]).toMatchObject({
      state: 'Approved',
      approvedBy: 'alice@demo',
      approvedAt: '2026-11-26T09:05:00.000Z',
    });
    expect(rollout.state).toBe('Succeeded');
    expect(rollout.history).toEqual([
      expect.objectContaining({ actor: 'alice@demo', action: 'sync', wave: 'production', from: 'upstream' }),
    ]);
    // Automated syncs (the controller's own) name nobody.
    const auto = {
      ...byHand,
      operationState: { ...byHand.operationState, operation: { initiatedBy: { username: 'applicationset-controller', automated: true } } },
    };
    expect(
      mapAppSet(input(healthy, [stagingA(synced), stagingB(synced), prodA(auto)])).rollout.waves[1]!.gates[0]!.approvedBy,
    ).toBeUndefined();
  });

  it('reports a failed or degraded app as a failed cluster, and the rollout still progressing (Argo CD waits)', () => {
    const s = set([entry('gb-stg-a', 'Progressing', '1'), entry('gb-stg-b', 'Progressing', '1'), entry('gb-prod-a', 'Waiting', '2')]);
    const failedOp = {
      operationState: { phase: 'Failed', startedAt: '2026-11-26T09:01:00Z', message: 'one or more objects failed to apply' },
    };
    const degraded = {
      sync: { status: 'Synced' },
      health: { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' },
    };
    const { rollout } = mapAppSet(input(s, [stagingA(failedOp), stagingB(degraded), prodA()]));
    expect(rollout.waves[0]!.clusters).toEqual([
      expect.objectContaining({ cluster: 'stg-a', state: 'Failed', message: 'one or more objects failed to apply' }),
      expect.objectContaining({ cluster: 'stg-b', state: 'Failed', message: 'Deployment "web" exceeded its progress deadline' }),
    ]);
    expect(rollout.waves[0]!.state).toBe('Failed');
    expect(rollout.state).toBe('Progressing');
    expect(rollout.progress).toEqual({ total: 3, succeeded: 0, failed: 2, updating: 0 });
    expect(rollout.message).toMatch(/staging has failed Applications; Argo CD waits/);
  });

  it('shows an app Succeeded once it is Synced and Healthy, before the controller records it Healthy', () => {
    const s = set([entry('gb-stg-a', 'Progressing', '1'), entry('gb-stg-b', 'Progressing', '1'), entry('gb-prod-a', 'Waiting', '2')]);
    const done = { sync: { status: 'Synced' }, operationState: { phase: 'Succeeded', finishedAt: '2026-11-26T09:04:00Z' } };
    const { rollout } = mapAppSet(input(s, [stagingA(done), stagingB(undefined, { sync: {} }), prodA()]));
    expect(rollout.waves[0]!.clusters).toEqual([
      { cluster: 'stg-a', state: 'Succeeded', finishedAt: '2026-11-26T09:04:00.000Z' },
      expect.objectContaining({ cluster: 'stg-b', state: 'Updating' }),
    ]);
    // The step itself opens the next one only on the controller's word.
    expect(rollout.waves[1]!.gates[0]!.state).toBe('NotStarted');
  });

  it('leaves apps matching no step out of every wave and says so; names one tenant when all clusters are its', () => {
    const s = set([entry('gb-stg-a', 'Waiting', '1'), entry('gb-qa', 'Waiting', '-1')]);
    const qa = app('gb-qa', 'qa', { server: 'https://api.stg-b.example' });
    const { rollout } = mapAppSet(input(s, [stagingA(), qa]));
    expect(rollout.touches).toEqual(['stg-a']);
    expect(rollout.tenant).toBe('client-a');
    expect(rollout.message).toMatch(/match no step: RollingSync never syncs them/);
    // The production step has no app: skipped (Succeeded), no gate to approve.
    expect(rollout.waves[1]).toMatchObject({ state: 'Succeeded', gates: [] });
  });

  it('says when the controller writes no progressive sync status, and names unmapped destinations only by their own words', () => {
    const s = set([]);
    const inCluster = app('gb-hub', 'staging', { server: 'https://kubernetes.default.svc' });
    const { rollout } = mapAppSet(input(s, [inCluster]));
    expect(rollout.state).toBe('Unknown');
    expect(rollout.message).toMatch(/progressive syncs enabled/);
    expect(rollout.touches).toEqual(['https://kubernetes.default.svc']);
    expect(rollout.tenant).toBeUndefined();
  });

  it('reads approvals recorded for the current revision only', () => {
    const recorded = (revision: string) =>
      JSON.stringify({
        revision,
        waves: { production: { approvals: [{ user: 'bob@demo', at: '2026-11-26T09:03:00.000Z', groups: ['fleet-platform-admins'] }] } },
      });
    const statuses = [entry('gb-stg-a', 'Healthy', '1'), entry('gb-prod-a', 'Waiting', '2')];
    const withRecord = (rev: string) =>
      set(statuses, { metadata: { name: 'guestbook', namespace: 'argocd', annotations: { 'fleetdeck.dev/approvals': recorded(rev) } } });
    const now = mapAppSet(input(withRecord('c0ffee'), [stagingA({ sync: { status: 'Synced' } }), prodA()])).rollout;
    expect(now.recordedApprovals).toEqual({ production: [expect.objectContaining({ user: 'bob@demo' })] });
    expect(now.history).toEqual([expect.objectContaining({ actor: 'bob@demo', result: 'counted', wave: 'production' })]);
    const stale = mapAppSet(input(withRecord('0ld'), [stagingA({ sync: { status: 'Synced' } }), prodA()])).rollout;
    expect(stale.recordedApprovals).toBeUndefined();
    const broken = set(statuses, { metadata: { name: 'guestbook', namespace: 'argocd', annotations: { 'fleetdeck.dev/approvals': '{' } } });
    expect(mapAppSet(input(broken, [stagingA(), prodA()])).rollout.errors).toEqual([
      { source: 'argocd', reason: 'ApplicationSet guestbook: fleetdeck.dev/approvals is not an approvals record: ignored' },
    ]);
  });
});

describe('what the watch cache keeps', () => {
  it('keeps only RollingSync sets with steps, and only apps an ApplicationSet owns', () => {
    expect(appSetView({ metadata: { name: 'x', namespace: 'argocd' }, spec: { strategy: { type: 'AllAtOnce' } } })).toBeUndefined();
    expect(
      appSetView({ metadata: { name: 'x', namespace: 'argocd' }, spec: { strategy: { type: 'RollingSync', rollingSync: { steps: [] } } } }),
    ).toBeUndefined();
    expect(appView({ metadata: { name: 'solo', namespace: 'argocd' }, spec: { destination: { name: 'stg-a' } } })).toBeUndefined();
    expect(stagingA(undefined, { sync: {} })).toMatchObject({ appSet: 'guestbook', syncing: true, revisions: ['c0ffee'], prune: false });
  });

  it('drops malformed progressive statuses instead of guessing', () => {
    const s = set([{ application: 'a', status: 'Exploded', step: '1' }, { status: 'Healthy' }, entry('b', 'Healthy', 'one')]);
    expect(s.applicationStatus).toEqual([expect.objectContaining({ application: 'b', status: 'Healthy' })]);
    expect(s.applicationStatus[0]!.step).toBeUndefined();
  });
});

describe('wave names', () => {
  it('uses the one value a step selects, else step-N; never twice the same name', () => {
    const sel = (...exprs: { key: string; operator: string; values: string[] }[]) => ({ matchExpressions: exprs });
    expect(
      waveNames([
        sel({ key: 'env', operator: 'In', values: ['dev'] }),
        sel({ key: 'env', operator: 'In', values: ['staging', 'qa'] }),
        sel({ key: 'env', operator: 'NotIn', values: ['dev'] }),
        sel({ key: 'env', operator: 'In', values: ['Prod_EU'] }),
        sel({ key: 'region', operator: 'In', values: ['dev'] }),
        sel(),
      ]),
    ).toEqual(['step-1', 'staging-qa', 'step-3', 'step-4', 'step-5', 'step-6']);
    expect(waveNames([sel({ key: 'env', operator: 'In', values: ['production'] })])).toEqual(['production']);
  });
});
