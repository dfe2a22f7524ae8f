import { randomBytes } from 'node:crypto';

import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { createLogger } from '../../src/lib/logger.ts';
import { approvalDecision } from '../../src/promotion/approval-gate.ts';
import { argoRollingSyncRolloutSource } from '../../src/sources/gitops/argocd/rolling-sync-rollout-source.ts';
import type { InventorySource } from '../../src/sources/inventory.ts';
import { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';
import { kubeFleetInventory } from '../../src/sources/kubefleet/kubefleet-source.ts';
import { RolloutActionError, type RolloutSource, type SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { singleApproval } from '../helpers/approval-decision.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const BASE = '/apis/argoproj.io/v1alpha1/namespaces/argocd';
const platformAdmin = { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] };
const secondAdmin = { user: 'platform-admin-2@demo', groups: ['fleet-platform-admins'] };
const clientAAdmin = { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] };
/** An approver rule of two distinct people for the production wave. */
const twoPeople = (p: { user: string; groups: string[] }) =>
  approvalDecision(
    { stages: 'production', approvals: 2, groups: [], mfa: false },
    'production',
    p,
    { comment: `ok from ${p.user}` },
    undefined,
  );
const ctx = (principal: { user: string; groups: string[] }) => ({ principal, requestId: `req-${Date.now()}` });
const logger = createLogger('silent');

// Our own set (unique name): the seeded one and other tests' sets move on their own.
const SET = `rs-${randomBytes(3).toString('hex')}`;
const ID = `argocd~argocd~${SET}`;
const elements = [
  { cluster: 'client-a-staging', env: 'staging' },
  { cluster: 'client-b-staging', env: 'staging' },
  { cluster: 'prod-us-east', env: 'production' },
  { cluster: 'prod-eu-west', env: 'production' },
].map((e) => ({ ...e, url: `https://api.${e.cluster}.testbed.invalid` }));
const appName = (cluster: string) => `${SET}-${cluster}`;
const staging = elements.filter((e) => e.env === 'staging').map((e) => appName(e.cluster));
const production = elements.filter((e) => e.env === 'production').map((e) => appName(e.cluster));

interface HubApp {
  metadata: { name: string };
  operation?: { initiatedBy?: { username?: string; automated?: boolean } };
  status?: {
    sync?: { status?: string };
    operationState?: { phase?: string; operation?: { initiatedBy?: { username?: string; automated?: boolean } } };
  };
}

let inventory: InventorySource;
let source: RolloutSource;

const eventually = eventuallyWithin({ timeoutMs: 60_000, everyMs: 200, falseIsPending: true });
const rolloutWhere = (what: string, ok: (r: SourceRollout) => boolean, timeoutMs?: number) =>
  eventually(
    what,
    () => {
      const r = source.get(ID);
      return r && ok(r) ? r : undefined;
    },
    timeoutMs,
  );
const hubApp = (name: string) => admin.expectOk<HubApp>('GET', `${BASE}/applications/${name}`);
const wave = (r: SourceRollout, name: string) => r.waves.find((w) => w.name === name)!;
/** Who asked for the app's current or last sync: an operation is copied into operationState when it runs. */
const initiator = (a: HubApp) => a.operation?.initiatedBy ?? a.status?.operationState?.operation?.initiatedBy;

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  inventory = kubeFleetInventory(kc, { tenantLabel: 'client', environmentLabel: 'env' }, logger);
  await inventory.start();
  source = argoRollingSyncRolloutSource(kc, new ImpersonatingClient(kc), { logger, clusters: () => inventory.snapshot().clusters });
  await source.start();
  await admin.expectOk('POST', `${BASE}/applicationsets`, {
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: SET, namespace: 'argocd' },
      spec: {
        generators: [{ list: { elements } }],
        strategy: {
          type: 'RollingSync',
          rollingSync: {
            steps: [
              { matchExpressions: [{ key: 'env', operator: 'In', values: ['staging'] }], maxUpdate: 1 },
              { matchExpressions: [{ key: 'env', operator: 'In', values: ['production'] }], maxUpdate: 0 },
            ],
          },
        },
        template: {
          metadata: { name: `${SET}-{{cluster}}`, labels: { env: '{{env}}' } },
          spec: {
            project: 'platform',
            source: { repoURL: 'https://git.testbed.invalid/platform/apps.git', path: 'guestbook', targetRevision: 'main' },
            destination: { server: '{{url}}', namespace: 'guestbook' },
          },
        },
      },
    },
  });
}, 90_000);

afterAll(async () => {
  await source?.stop();
  await inventory?.stop();
  await admin.request('DELETE', `${BASE}/applicationsets/${SET}`);
  // No garbage collector runs in the testbed: the generated apps go by hand.
  for (const name of [...staging, ...production]) await admin.request('DELETE', `${BASE}/applications/${name}`);
});

describe('an Argo CD RollingSync ApplicationSet as a rollout (testbed hub + Argo CD stand-in)', () => {
  it('shows the steps as waves of destination clusters, the production step gated and not yet reached', async () => {
    const r = await rolloutWhere('both waves with their clusters', (x) => x.waves.every((w) => w.clusters.length === 2));
    expect(r.source).toBe('argocd');
    expect(r.waves.map((w) => [w.name, w.maxConcurrency])).toEqual([
      ['staging', 1],
      ['production', undefined],
    ]);
    expect(
      wave(r, 'staging')
        .clusters.map((c) => c.cluster)
        .sort(),
    ).toEqual(['client-a-staging', 'client-b-staging']);
    expect(
      wave(r, 'production')
        .clusters.map((c) => c.cluster)
        .sort(),
    ).toEqual(['prod-eu-west', 'prod-us-east']);
    expect(wave(r, 'production').gates).toEqual([expect.objectContaining({ kind: 'Approval', position: 'before' })]);
  });

  it('refuses to approve the production step before staging is Healthy, and refuses pause/abort/rollback', async () => {
    // Staging takes the stand-in several 2 s passes (one app at a time): production is not reached yet.
    const r = await rolloutWhere('production not reached', (x) => wave(x, 'production').gates[0]?.state === 'NotStarted', 5_000);
    const refused = await source.actions.approve(ctx(platformAdmin), r, 'production', singleApproval()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RolloutActionError);
    expect((refused as RolloutActionError).status).toBe(409);
    expect((refused as RolloutActionError).message).toMatch(/not reached yet/);
    const any = source.get(ID)!;
    for (const call of [
      () => source.actions.pause(ctx(platformAdmin), any, undefined),
      () => source.actions.abort(ctx(platformAdmin), any),
      () => source.actions.rollback(ctx(platformAdmin), any),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RolloutActionError);
      expect((err as RolloutActionError).status).toBe(409);
      expect((err as RolloutActionError).message).toMatch(/^Argo CD progressive sync has no /);
    }
  });

  it('lets the stand-in walk staging one app at a time, then waits at production for an approval', async () => {
    let mostUpdating = 0;
    const r = await rolloutWhere(
      'production awaiting approval',
      (x) => {
        mostUpdating = Math.max(mostUpdating, wave(x, 'staging').progress.updating);
        return x.awaitingApproval?.wave === 'production';
      },
      90_000,
    );
    // maxUpdate 1: seen updating, never two at once.
    expect(mostUpdating).toBe(1);
    expect(r.state).toBe('AwaitingApproval');
    expect(wave(r, 'staging').state).toBe('Succeeded');
    expect(wave(r, 'production')).toMatchObject({ state: 'AwaitingApproval', gates: [expect.objectContaining({ state: 'Waiting' })] });
    // Staging was synced by the controller (automated), never by a person.
    for (const name of staging) expect(initiator(await hubApp(name))).toMatchObject({ automated: true });
    // Several controller passes later nothing has synced production.
    await new Promise((res) => setTimeout(res, 6_000));
    for (const name of production) {
      const a = await hubApp(name);
      expect(a.operation ?? undefined).toBeUndefined();
      expect(a.status?.operationState ?? undefined).toBeUndefined();
      expect(a.status?.sync?.status).toBe('OutOfSync');
    }
    expect(source.get(ID)!.awaitingApproval?.wave).toBe('production');
  });

  it("refuses a tenant admin's approval at the API server (apps in Argo CD's namespace are not theirs) and writes nothing", async () => {
    const r = source.get(ID)!;
    const err = await source.actions.approve(ctx(clientAAdmin), r, 'production', singleApproval()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutActionError);
    expect((err as RolloutActionError).status).toBe(403);
    for (const name of production) expect((await hubApp(name)).operation ?? undefined).toBeUndefined();
  });

  it('records a first approval on the ApplicationSet without syncing when the policy needs two people', async () => {
    const r = source.get(ID)!;
    const first = await source.actions.approve(ctx(platformAdmin), r, 'production', twoPeople(platformAdmin));
    expect(first.outcome).toBe('done');
    expect(first.message).toMatch(/1 of 2/);
    const set = await admin.expectOk<{ metadata: { annotations?: Record<string, string> } }>('GET', `${BASE}/applicationsets/${SET}`);
    const record = JSON.parse(set.metadata.annotations?.['fleetdeck.dev/approvals'] ?? '{}') as {
      waves?: Record<string, { approvals: { user: string }[]; releasedBy?: string }>;
    };
    expect(record.waves?.production?.approvals.map((a) => a.user)).toEqual([platformAdmin.user]);
    expect(record.waves?.production?.releasedBy).toBeUndefined();
    for (const name of production) expect((await hubApp(name)).operation ?? undefined).toBeUndefined();
    const counted = await rolloutWhere('the approval read back', (x) => (x.recordedApprovals?.production?.length ?? 0) === 1);
    expect(counted.awaitingApproval?.wave).toBe('production');
    // The same person again is not a second approver.
    const repeat = await source.actions.approve(ctx(platformAdmin), counted, 'production', twoPeople(platformAdmin));
    expect(repeat.outcome).toBe('no-op');
    for (const name of production) expect((await hubApp(name)).operation ?? undefined).toBeUndefined();
  });

  it("the second approver releases it: exactly the production step's apps are synced, as that person, and turn Synced", async () => {
    const r = source.get(ID)!;
    const result = await source.actions.approve(ctx(secondAdmin), r, 'production', twoPeople(secondAdmin));
    expect(result.outcome).toBe('done');
    expect(result.message).toContain(production[0]!);
    for (const name of production) expect(initiator(await hubApp(name))).toEqual({ username: secondAdmin.user });
    for (const name of staging) expect(initiator(await hubApp(name))?.username).toBeUndefined();
    for (const name of production) {
      await eventually(`${name} Synced`, async () => (await hubApp(name)).status?.sync?.status === 'Synced');
    }
    const done = await rolloutWhere('rollout succeeded', (x) => x.state === 'Succeeded');
    expect(wave(done, 'production').gates[0]).toMatchObject({ state: 'Approved', approvedBy: secondAdmin.user });
    expect(done.history.map((h) => [h.actor, h.wave, h.result])).toEqual([
      [platformAdmin.user, 'production', 'counted'],
      [secondAdmin.user, 'production', 'approved'],
    ]);
    // A second click is a no-op, and syncs nothing again.
    const again = await source.actions.approve(ctx(secondAdmin), done, 'production', twoPeople(secondAdmin));
    expect(again).toMatchObject({ outcome: 'no-op', code: 'alreadyApproved' });
    for (const name of production) expect((await hubApp(name)).operation ?? undefined).toBeUndefined();
  });
});
