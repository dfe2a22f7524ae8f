import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { createLogger } from '../../src/lib/logger.ts';
import { argoDeliverySource } from '../../src/sources/gitops/argocd/argocd-delivery-source.ts';
import { DeliveryActionError, type DeliverySource, type SourceDelivery } from '../../src/sources/gitops/delivery-source.ts';
import { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';
import { kubeFleetInventory } from '../../src/sources/kubefleet/kubefleet-source.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

// Seeded by testbed/src/argocd/seed.ts: tenant apps `web-<cluster>` in `argocd-<tenant>`
// (project = tenant), `cluster-addons` (in-cluster) and the RollingSync set `guestbook` in
// `argocd`. The Argo CD stand-in (testbed/src/argocd/standin.ts) runs syncs and refreshes.
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const logger = createLogger('silent');
const TENANTS = ['client-a', 'client-b', 'client-c'];
const argocd = {
  projectTenants: Object.fromEntries(TENANTS.map((t) => [t, t])),
  namespaceTenants: Object.fromEntries(TENANTS.map((t) => [`argocd-${t}`, t])),
};
const platformAdmin = { principal: { user: 'platform-admin@test', groups: ['fleet-platform-admins'] }, requestId: 'r-pa' };
const tenantAAdmin = { principal: { user: 'alice@client-a', groups: ['tenant-client-a-admins'] }, requestId: 'r-a' };
const tenantBAdmin = { principal: { user: 'bob@client-b', groups: ['tenant-client-b-admins'] }, requestId: 'r-b' };
const viewer = { principal: { user: 'viewer@test', groups: ['fleet-viewers'] }, requestId: 'r-v' };

const NS = 'argocd-client-a';
const APP = `it-sync-${Date.now().toString(36)}`;
const ID = `argocd:${NS}/${APP}`;
const appPath = `/apis/argoproj.io/v1alpha1/namespaces/${NS}/applications/${APP}`;

interface HubApp {
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
  operation?: { initiatedBy?: { username?: string }; sync?: Record<string, unknown> };
  status?: { sync?: { status?: string; revision?: string }; history?: { revision: string }[]; reconciledAt?: string };
}

let inventory: ReturnType<typeof kubeFleetInventory>;
let source: DeliverySource;

const eventually = eventuallyWithin({ timeoutMs: 30_000, everyMs: 100 });
const when = (id: string, test: (d: SourceDelivery) => boolean) => () => {
  const d = source.get(id);
  return d && test(d) ? d : undefined;
};
const hubApp = () => admin.expectOk<HubApp>('GET', appPath);
async function refusal(p: Promise<unknown>): Promise<DeliveryActionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryActionError);
  return err as DeliveryActionError;
}

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  inventory = kubeFleetInventory(kc, { tenantLabel: 'client', environmentLabel: 'env' }, logger);
  await inventory.start();
  source = argoDeliverySource(kc, new ImpersonatingClient(kc), { logger, clusters: () => inventory.snapshot().clusters, argocd });
  await source.start();
  // The test's own app: OutOfSync on client-a-staging until synced.
  await admin.expectOk('POST', `/apis/argoproj.io/v1alpha1/namespaces/${NS}/applications`, {
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: APP,
        namespace: NS,
        labels: { env: 'staging' },
        annotations: { 'testbed.fleetdeck.dev/argocd-simulate': JSON.stringify({ sync: 'OutOfSync', health: 'Healthy' }) },
      },
      spec: {
        project: 'client-a',
        source: { repoURL: 'https://git.testbed.invalid/it.git', path: 'it', targetRevision: 'main' },
        destination: { server: 'https://API.client-a-staging.testbed.invalid:443', namespace: 'client-a-apps' },
      },
    },
  });
});
afterAll(async () => {
  await admin.request('DELETE', appPath);
  await source?.stop();
  await inventory?.stop();
});

describe('Argo CD delivery source against the testbed hub', () => {
  it('lists the seeded apps mapped to their clusters and tenants', async () => {
    const seeded = await eventually('the seeded apps', () => {
      const ds = source.list();
      return ds.some((d) => d.name === 'web-prod-eu-west' && d.argocd?.health === 'Degraded') && ds.some((d) => d.argocd?.applicationSet)
        ? ds
        : undefined;
    });
    expect(source.errors()).toEqual([]);
    const byName = new Map(seeded.map((d) => [d.name, d]));
    const where = (name: string) => [byName.get(name)?.destinationCluster, byName.get(name)?.tenant];
    expect(where('web-client-a-staging')).toEqual(['client-a-staging', 'client-a']);
    expect(where('web-prod-us-east')).toEqual(['prod-us-east', 'client-a']);
    expect(where('web-prod-eu-west')).toEqual(['prod-eu-west', 'client-b']);
    // Written "HTTPS://API.CLIENT-C-STAGING.testbed.invalid:443/" on the app: the same server.
    expect(where('web-client-c-staging')).toEqual(['client-c-staging', 'client-c']);
    // destination.name, no URL.
    expect(where('web-client-b-staging')).toEqual(['client-b-staging', 'client-b']);
    // In-cluster: no inventory cluster, no tenant, no target.
    expect(byName.get('cluster-addons')).toMatchObject({ targets: [], argocd: { unmapped: true } });
    expect(byName.get('cluster-addons')).not.toHaveProperty('tenant');

    expect(byName.get('web-client-a-staging')?.targets[0]).toMatchObject({
      cluster: 'client-a-staging',
      sync: 'OutOfSync',
      health: 'Healthy',
      status: { tone: 'warning' },
      resources: [{ kind: 'Deployment', name: 'web', namespace: 'client-a-apps', state: 'OutOfSync' }],
    });
    expect(byName.get('web-prod-eu-west')?.targets[0]).toMatchObject({
      status: { label: 'Synced / Degraded', tone: 'error' },
      resources: [{ kind: 'Deployment', name: 'web', state: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' }],
    });
    const guestbook = seeded.filter((d) => d.name.startsWith('guestbook-'));
    expect(guestbook.length).toBeGreaterThanOrEqual(7);
    for (const d of guestbook) {
      expect(d.argocd).toMatchObject({ applicationSet: 'guestbook', project: 'platform', unmapped: false });
      expect(d.destinationCluster).toBe(d.name.slice('guestbook-'.length));
    }
  });

  it('a sync sets operation as the person; a second one is refused while it runs; the stand-in turns it Synced', async () => {
    await eventually(
      'the test app to be reconciled',
      when(ID, (d) => d.argocd?.sync === 'OutOfSync'),
    );
    expect(source.get(ID)).toMatchObject({ destinationCluster: 'client-a-staging', tenant: 'client-a' });

    const done = await source.actions.sync!(platformAdmin, source.get(ID)!, { prune: true });
    expect(done.outcome).toBe('done');
    const written = await hubApp();
    expect(written.operation).toEqual({
      initiatedBy: { username: 'platform-admin@test' },
      sync: { prune: true, syncStrategy: { hook: {} } },
    });

    // Another person, allowed on this app, while the first sync is set: refused, naming the first.
    const err = await refusal(source.actions.sync!(tenantAAdmin, source.get(ID)!, {}));
    expect(err.status).toBe(409);
    expect(err.message).toMatch(/^a sync is already running \(started by platform-admin@test( at [0-9T:.Z-]+)?\); wait for it to finish$/);
    expect((await hubApp()).operation?.initiatedBy).toEqual({ username: 'platform-admin@test' });

    const synced = await eventually(
      'the sync to finish',
      when(ID, (d) => d.argocd?.sync === 'Synced' && !d.argocd.syncPending && d.argocd.operation?.phase === 'Succeeded'),
    );
    const hub = await hubApp();
    expect(hub.operation).toBeUndefined();
    expect(synced.argocd?.operation).toMatchObject({ initiatedBy: 'platform-admin@test', revision: hub.status?.sync?.revision });
    expect(synced.targets[0]).toMatchObject({
      sync: 'Synced',
      health: 'Healthy',
      appliedCommit: hub.status?.sync?.revision,
      resources: [],
    });
    expect(synced.targets[0]?.lastSyncAt).toBeDefined();

    // The tenant's own admin may sync it too (the API server allows it in argocd-client-a).
    const again = await source.actions.sync!(tenantAAdmin, synced, { revision: 'v2.0.0' });
    expect(again.message).toMatch(/v2\.0\.0/);
    await eventually(
      'the second sync to finish',
      when(ID, (d) => d.argocd?.operation?.initiatedBy === 'alice@client-a' && d.argocd.operation.phase === 'Succeeded'),
    );
    expect((await hubApp()).status?.history?.at(-1)?.revision).toBe('v2.0.0');
  });

  it('refresh sets the annotation on the hub as the person, and the stand-in reconciles it', async () => {
    const before = await hubApp();
    const res = await source.actions.refresh!(tenantAAdmin, source.get(ID)!, true);
    expect(res.outcome).toBe('done');
    // Every change since `before`, read as a watch from its resourceVersion: the stand-in removes the annotation quickly.
    const events = await admin.request(
      'GET',
      `/apis/argoproj.io/v1alpha1/namespaces/${NS}/applications?watch=1&fieldSelector=metadata.name%3D${APP}&resourceVersion=${before.metadata.resourceVersion}&timeoutSeconds=2`,
    );
    const seen = events.text
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { object: HubApp }).object.metadata.annotations?.['argocd.argoproj.io/refresh']);
    expect(seen).toContain('hard');
    await eventually(
      'the refresh to be reconciled',
      when(ID, (d) => (d.argocd?.reconciledAt ?? '') > (before.status?.reconciledAt ?? '')),
    );
    expect((await hubApp()).metadata.annotations?.['argocd.argoproj.io/refresh']).toBeUndefined();
  });

  it('people without rights on the app are refused by the API server (403), and the hub is unchanged', async () => {
    await eventually(
      'no sync in flight',
      when(ID, (d) => !d.argocd?.syncPending),
    );
    const before = await hubApp();
    for (const who of [tenantBAdmin, viewer]) {
      const sync = await refusal(source.actions.sync!(who, source.get(ID)!, {}));
      expect(sync.status).toBe(403);
      const refresh = await refusal(source.actions.refresh!(who, source.get(ID)!, false));
      expect(refresh.status).toBe(403);
    }
    const after = await hubApp();
    expect(after.operation).toBeUndefined();
    expect(after.metadata.annotations?.['argocd.argoproj.io/refresh']).toBeUndefined();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    // And a tenant admin on another tenant's app: client-a's admin on client-b's seeded app.
    const other = source.list().find((d) => d.name === 'web-prod-eu-west')!;
    expect((await refusal(source.actions.sync!(tenantAAdmin, other, {}))).status).toBe(403);
  });

  it('a deleted app leaves the list', async () => {
    const name = `${APP}-gone`;
    await admin.expectOk('POST', `/apis/argoproj.io/v1alpha1/namespaces/${NS}/applications`, {
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name, namespace: NS },
        spec: { project: 'client-a', source: { repoURL: 'https://git.testbed.invalid/it.git' }, destination: { name: 'prod-us-east' } },
      },
    });
    const id = `argocd:${NS}/${name}`;
    await eventually(
      'the new app',
      when(id, (d) => d.destinationCluster === 'prod-us-east'),
    );
    await admin.expectOk('DELETE', `/apis/argoproj.io/v1alpha1/namespaces/${NS}/applications/${name}`);
    await eventually('the app to leave', () => (source.get(id) ? undefined : true));
  });
});
