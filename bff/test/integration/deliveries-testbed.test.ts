import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';
import {
  DeliveryActionResult,
  DeliveryDetailResponse,
  DeliveryList,
  apiPaths,
  apiUrl,
  type Cluster,
  type DeliverySummary,
} from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { Person } from '../helpers/rollout-client.ts';
import { PERSONAS } from '../helpers/rollout-fixtures.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

/**
 * The deliveries API in real mode on the testbed hub, with the Fleet and Argo CD sources
 * reading it and the Argo CD stand-in running syncs: each persona sees only their GitRepos
 * and Applications; a second sync while one runs is refused with a clear 409, and the
 * hidden app of another tenant is a 404 that writes nothing.
 */
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const TENANTS = ['client-a', 'client-b', 'client-c'];
const SUFFIX = Date.now().toString(36);
const APP_A = { ns: 'argocd-client-a', name: `dv-a-${SUFFIX}`, cluster: 'client-a-staging' };
const APP_B = { ns: 'argocd-client-b', name: `dv-b-${SUFFIX}`, cluster: 'prod-eu-west' };
const CVE_REPO = 'fleet:fleet-default/cve-2024-critical';
const idOf = (a: typeof APP_A) => `argocd:${a.ns}/${a.name}`;
const pathOf = (a: typeof APP_A) => `/apis/argoproj.io/v1alpha1/namespaces/${a.ns}/applications/${a.name}`;

let bff: RunningServer;
let clusters: readonly Cluster[];
const people = {} as Record<keyof typeof PERSONAS, Person>;

const eventually = eventuallyWithin({ timeoutMs: 60_000, everyMs: 250 });

async function all(p: Person): Promise<{ items: DeliverySummary[]; text: string }> {
  const res = await p.get(apiUrl(apiPaths.deliveries, {}, { limit: '500', group: 'cluster' }));
  const text = await res.text();
  expect(res.status).toBe(200);
  const items = DeliveryList.parse(JSON.parse(text)).items.map((r) => r.delivery);
  return { items: [...new Map(items.map((d) => [d.id, d])).values()], text };
}

const app = (a: typeof APP_A) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: {
    name: a.name,
    namespace: a.ns,
    labels: { env: 'bench-views', suite: SUFFIX },
    annotations: { 'testbed.fleetdeck.dev/argocd-simulate': JSON.stringify({ sync: 'OutOfSync', health: 'Healthy' }) },
  },
  spec: {
    project: a.ns.slice('argocd-'.length),
    source: { repoURL: 'https://git.testbed.invalid/views.git', path: 'views', targetRevision: 'main' },
    destination: { server: `https://api.${a.cluster}.testbed.invalid`, namespace: `${a.ns.slice('argocd-'.length)}-apps` },
  },
});

beforeAll(async () => {
  for (const a of [APP_A, APP_B])
    await admin.expectOk('POST', `/apis/argoproj.io/v1alpha1/namespaces/${a.ns}/applications`, { body: app(a) });
  bff = await startTestbedBff(env, {
    gitops: {
      sources: ['rancher-fleet', 'argocd'],
      argocd: {
        projectTenants: Object.fromEntries(TENANTS.map((t) => [t, t])),
        namespaceTenants: Object.fromEntries(TENANTS.map((t) => [`argocd-${t}`, t])),
      },
    },
  });
  clusters = bff.services.inventory.snapshot().clusters;
  const origin = new URL(bff.services.config.auth.oidc!.redirectUrl).origin;
  for (const [k, p] of Object.entries(PERSONAS)) people[k as keyof typeof PERSONAS] = await Person.signIn(bff.url, p, { origin });
  await eventually('both test apps, reconciled', async () => {
    const { items } = await all(people.platformAdmin);
    const mine = items.filter((d) => d.name.endsWith(SUFFIX));
    return mine.length === 2 && mine.every((d) => d.argocd?.sync === 'OutOfSync') ? mine : undefined;
  });
});
afterAll(async () => {
  await bff?.close();
  for (const a of [APP_A, APP_B]) await admin.request('DELETE', pathOf(a));
});

const tenantOf = (name: string) => clusters.find((c) => c.name === name)?.tenant;

describe('deliveries on the testbed, per persona', () => {
  it('a platform admin sees both tenants’ apps and the Fleet GitRepos', async () => {
    const { items } = await all(people.platformAdmin);
    const ids = items.map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining([idOf(APP_A), idOf(APP_B)]));
    expect(ids).toContain(CVE_REPO);
  });

  for (const [who, tenant, sees, hidden] of [
    ['clientAAdmin', 'client-a', APP_A, APP_B],
    ['clientBViewer', 'client-b', APP_B, APP_A],
  ] as const) {
    it(`${who} sees only ${tenant}'s repos and apps, on ${tenant}'s clusters only`, async () => {
      const p = people[who];
      const { items, text } = await all(p);
      const ids = items.map((d) => d.id);
      expect(ids).toContain(idOf(sees));
      expect(ids).not.toContain(idOf(hidden));
      for (const c of clusters.filter((c) => c.tenant !== tenant)) expect(text).not.toContain(`"${c.name}"`);
      for (const d of items) {
        const detail = DeliveryDetailResponse.parse(await p.json(apiUrl(apiPaths.delivery, { id: d.id })));
        for (const t of detail.delivery.targets) expect(tenantOf(t.cluster), `${d.id} on ${t.cluster}`).toBe(tenant);
      }
      // The seeded GitRepo targets client-a's production clusters only (testbed/src/controller/seed-rollouts.ts).
      expect(ids.includes(CVE_REPO)).toBe(tenant === 'client-a');
      const missing = await p.get(apiUrl(apiPaths.delivery, { id: `argocd:${hidden.ns}/no-such-${SUFFIX}` }));
      const hiddenRes = await p.get(apiUrl(apiPaths.delivery, { id: idOf(hidden) }));
      expect([hiddenRes.status, missing.status]).toEqual([404, 404]);
      const norm = (s: string) => s.replace(/"(requestId|instance)":"[^"]*"/g, '');
      expect(norm(await hiddenRes.text())).toBe(norm(await missing.text()));
    });
  }
});

describe('Argo CD sync through the BFF on the testbed', () => {
  it('a sync while one is running is refused with a clear 409; the stand-in turns it Synced', async () => {
    const a = people.clientAAdmin;
    const first = await a.post(apiUrl(apiPaths.deliverySync, { id: idOf(APP_A) }), {});
    expect(first.status).toBe(200);
    expect(DeliveryActionResult.parse(await first.json()).outcome).toBe('done');
    const second = await people.platformAdmin.post(apiUrl(apiPaths.deliverySync, { id: idOf(APP_A) }), {});
    expect(second.status).toBe(409);
    const problem = (await second.json()) as { detail: string; status: number };
    expect(problem.detail).toMatch(/a sync is already running \(started by client-a-admin@demo/);
    const hub = await admin.expectOk<{ operation?: { initiatedBy?: { username?: string } } }>('GET', pathOf(APP_A));
    // The running one is still the first person's, or already done: never replaced by the refused one.
    expect(hub.operation?.initiatedBy?.username ?? 'client-a-admin@demo').toBe('client-a-admin@demo');
    await eventually('the app to turn Synced through the BFF', async () => {
      const d = DeliveryDetailResponse.parse(await a.json(apiUrl(apiPaths.delivery, { id: idOf(APP_A) }))).delivery;
      return d.argocd?.sync === 'Synced' && d.argocd.operation?.phase === 'Succeeded' ? d : undefined;
    });
    // Audited as an Event on the Application, naming the person.
    const events = await admin.expectOk<{ items: { regarding?: { name?: string }; note?: string; action?: string }[] }>(
      'GET',
      `/apis/events.k8s.io/v1/namespaces/${APP_A.ns}/events`,
    );
    const mine = events.items.filter((e) => e.regarding?.name === APP_A.name && e.action === 'Sync');
    expect(mine.some((e) => e.note?.startsWith('client-a-admin@demo sync success'))).toBe(true);
  });

  it('another tenant’s app is a 404 for a tenant admin, and nothing is written to it', async () => {
    const res = await people.clientAAdmin.post(apiUrl(apiPaths.deliverySync, { id: idOf(APP_B) }), {});
    expect(res.status).toBe(404);
    const hub = await admin.expectOk<{ operation?: unknown }>('GET', pathOf(APP_B));
    expect(hub.operation).toBeUndefined();
    // A viewer of client-b sees it but holds no `operate`.
    expect((await people.clientBViewer.post(apiUrl(apiPaths.deliverySync, { id: idOf(APP_B) }), {})).status).toBe(403);
    expect((await admin.expectOk<{ operation?: unknown }>('GET', pathOf(APP_B))).operation).toBeUndefined();
  });
});
