import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AuditList,
  BulkSyncResult,
  ClusterDeliveries,
  CSRF_HEADER,
  DeliveryActionResult,
  DeliveryDetailResponse,
  DeliveryList,
  SyncPreview,
  apiPaths,
  apiUrl,
  type Cluster,
  type DeliverySummary,
} from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { Browser, startDemoBff } from '../helpers/demo-client.ts';

/** The demo BFF through HTTP: each persona's deliveries, actions with CSRF and audit, 404 alike for missing and hidden. */
let bff: RunningServer;
let clusters: readonly Cluster[];
beforeAll(async () => {
  bff = await startDemoBff();
  clusters = bff.services.inventory.snapshot().clusters;
});
afterAll(async () => {
  await bff?.close();
});

const CORE_STACK = 'fleet:fleet-default/core-stack';

async function as(user: string): Promise<{ b: Browser; csrf: string }> {
  const b = new Browser(bff.url);
  await b.signIn(user);
  const me = (await (await b.fetch(apiPaths.me)).json()) as { csrfToken: string };
  return { b, csrf: me.csrfToken };
}

async function all(b: Browser, query: Record<string, string> = {}): Promise<DeliverySummary[]> {
  const out: DeliverySummary[] = [];
  let cursor: string | undefined;
  do {
    const res = await b.fetch(apiUrl(apiPaths.deliveries, {}, { limit: '50', ...query, ...(cursor && { cursor }) }));
    expect(res.status).toBe(200);
    const page = DeliveryList.parse(await res.json());
    out.push(...page.items.map((r) => r.delivery));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const detail = async (b: Browser, id: string) => {
  const res = await b.fetch(apiUrl(apiPaths.delivery, { id }));
  return { status: res.status, text: await res.text() };
};

const post = (who: { b: Browser; csrf: string }, template: string, id: string | undefined, body: unknown, csrf = true) =>
  who.b.fetch(id === undefined ? template : apiUrl(template, { id }), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: bff.url, ...(csrf && { [CSRF_HEADER]: who.csrf }) },
    body: JSON.stringify(body),
  });

/** Quoted names of clusters this person must never read. */
const hiddenNames = (keep: (c: Cluster) => boolean) => clusters.filter((c) => !keep(c)).map((c) => `"${c.name}"`);

describe('deliveries in the demo, per persona', () => {
  it('a platform admin sees GitRepos and Applications of every tenant', async () => {
    const { b } = await as('platform-admin@demo');
    const list = await all(b);
    expect(new Set(list.map((d) => d.engine))).toEqual(new Set(['fleet', 'argocd']));
    expect(new Set(list.map((d) => d.tenant).filter(Boolean))).toEqual(new Set(['client-a', 'client-b', 'client-c']));
  });

  for (const [user, keep] of [
    ['client-a-admin@demo', (c: Cluster) => c.tenant === 'client-a'],
    ['client-b-viewer@demo', (c: Cluster) => c.tenant === 'client-b'],
    ['client-a-dev@demo', (c: Cluster) => c.tenant === 'client-a' && ['dev', 'staging'].includes(c.environment)],
  ] as const) {
    it(`${user} sees only deliveries on their clusters, counted over those only`, async () => {
      const { b } = await as(user);
      const admin = await all((await as('platform-admin@demo')).b);
      const list = await all(b);
      expect(list.length).toBeGreaterThan(0);
      // Someone else's exist: the test could fail.
      expect(list.length).toBeLessThan(admin.length);
      const hidden = hiddenNames(keep);
      for (const d of list) {
        const res = await detail(b, d.id);
        expect(res.status).toBe(200);
        const one = DeliveryDetailResponse.parse(JSON.parse(res.text)).delivery;
        for (const t of one.targets) expect(keep(clusters.find((c) => c.name === t.cluster)!), `${d.id} on ${t.cluster}`).toBe(true);
        expect(one.desired).toBe(one.targets.length);
        for (const name of hidden) expect(res.text, `${d.id} names ${name}`).not.toContain(name);
      }
      const grouped = await b.fetch(apiUrl(apiPaths.deliveries, {}, { group: 'cluster', limit: '500' }));
      const text = await grouped.text();
      for (const name of hidden) expect(text).not.toContain(name);
    });
  }

  it('answers a hidden delivery exactly as a missing one', async () => {
    const { b } = await as('client-a-admin@demo');
    const mine = new Set((await all(b)).map((d) => d.id));
    const hiddenId = (await all((await as('platform-admin@demo')).b)).find((d) => !mine.has(d.id))!.id;
    const norm = (t: string, id: string) =>
      t
        .replaceAll(encodeURIComponent(id), '<id>')
        .replaceAll(id, '<id>')
        .replace(/"(requestId|instance)":"[^"]*"/g, '');
    const hidden = await detail(b, hiddenId);
    const missing = await detail(b, 'argocd:argocd/no-such-app');
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(norm(hidden.text, hiddenId)).toBe(norm(missing.text, 'argocd:argocd/no-such-app'));
    const viaAction = await post(await as('client-a-admin@demo'), apiPaths.deliverySync, hiddenId, {});
    expect(viaAction.status).toBe(404);
  });

  it('the cluster page lists that cluster’s part of each delivery, and a hidden cluster is a 404', async () => {
    const { b } = await as('client-a-admin@demo');
    const mine = clusters.find((c) => c.tenant === 'client-a' && c.environment === 'production')!;
    const res = await b.fetch(apiUrl(apiPaths.clusterDeliveries, { name: mine.name }));
    const body = ClusterDeliveries.parse(await res.json());
    expect(body.items.length).toBeGreaterThan(0);
    for (const i of body.items) expect(i.target.cluster).toBe(mine.name);
    const other = clusters.find((c) => c.tenant === 'client-b')!;
    expect((await b.fetch(apiUrl(apiPaths.clusterDeliveries, { name: other.name }))).status).toBe(404);
  });
});

describe('delivery actions in the demo', () => {
  it('a tenant admin syncs their out-of-sync app: CSRF needed, audited with who and what', async () => {
    const who = await as('client-a-admin@demo');
    const app = (await all(who.b, { engine: 'argocd' })).find(
      (d) => d.argocd?.sync === 'OutOfSync' && d.can.sync === '' && !d.argocd.syncPending,
    );
    expect(app, 'the demo has an out-of-sync client-a app').toBeDefined();
    expect((await post(who, apiPaths.deliverySync, app!.id, {}, false)).status).toBe(403);
    const res = await post(who, apiPaths.deliverySync, app!.id, { prune: true });
    expect(res.status).toBe(200);
    expect(DeliveryActionResult.parse(await res.json()).outcome).toBe('done');
    const audit = AuditList.parse(await (await who.b.fetch(apiUrl(apiPaths.audit, {}, { limit: '20' }))).json());
    expect(audit.items.find((r) => r.action === 'sync' && r.target === app!.id)).toMatchObject({
      actor: 'client-a-admin@demo',
      result: 'success',
      tenant: 'client-a',
    });
  });

  it('a shared GitRepo cannot be force-updated by a tenant admin (403 with the reason); a platform admin can, once per click', async () => {
    const a = await as('client-a-admin@demo');
    const denied = await post(a, apiPaths.deliveryForceUpdate, CORE_STACK, { click: 'click-00000001' });
    expect(denied.status).toBe(403);
    const problem = (await denied.json()) as { detail: string };
    expect(problem.detail).toMatch(/clusters outside your scope/);
    expect(problem.detail).not.toMatch(/client-[bc]|\d+ (hidden )?clusters/);
    const p = await as('platform-admin@demo');
    const first = DeliveryActionResult.parse(
      await (await post(p, apiPaths.deliveryForceUpdate, CORE_STACK, { click: 'click-00000002' })).json(),
    );
    const again = DeliveryActionResult.parse(
      await (await post(p, apiPaths.deliveryForceUpdate, CORE_STACK, { click: 'click-00000002' })).json(),
    );
    expect([first.outcome, again.outcome]).toEqual(['done', 'no-op']);
  });

  it('an action the engine lacks is a 409 with the reason; a viewer may not act at all', async () => {
    const p = await as('platform-admin@demo');
    const app = (await all(p.b, { engine: 'argocd' }))[0]!;
    const res = await post(p, apiPaths.deliveryForceUpdate, app.id, { click: 'click-00000003' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/no force update/);
    const repo = (await all(p.b, { engine: 'fleet' }))[0]!;
    expect((await post(p, apiPaths.deliverySync, repo.id, {})).status).toBe(409);
    const v = await as('client-b-viewer@demo');
    expect((await post(v, apiPaths.deliveryRefresh, app.id, {})).status).toBe(403);
  });

  it('previews and bulk-syncs by labels over the person’s own apps, skipping what they may not see', async () => {
    const a = await as('client-a-admin@demo');
    const preview = SyncPreview.parse(
      await (await a.b.fetch(apiUrl(apiPaths.deliveriesSyncPreview, {}, { labels: 'env=production' }))).json(),
    );
    expect(preview.items.length).toBeGreaterThan(0);
    const mine = new Set((await all(a.b)).map((d) => d.id));
    for (const i of preview.items) expect(mine.has(i.id)).toBe(true);
    const hidden = (await all((await as('platform-admin@demo')).b, { engine: 'argocd' })).find((d) => !mine.has(d.id))!.id;
    const bad = await a.b.fetch(apiUrl(apiPaths.deliveriesSyncPreview, {}, { labels: 'env=production,prod-*' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/character 16/);
    const res = await post(a, apiPaths.deliveriesBulkSync, undefined, {
      labels: 'env=production',
      ids: [...preview.items.map((i) => i.id), hidden],
    });
    expect(res.status).toBe(200);
    const results = BulkSyncResult.parse(await res.json()).results;
    expect(results.find((r) => r.id === hidden)).toEqual({ id: hidden, outcome: 'skipped', message: 'no such delivery' });
    expect(results.filter((r) => r.outcome === 'done').length).toBe(preview.items.filter((i) => i.skip === '').length);
    const audit = AuditList.parse(await (await a.b.fetch(apiUrl(apiPaths.audit, {}, { limit: '200' }))).json());
    expect(audit.items.filter((r) => r.action === 'bulk-sync')).toHaveLength(1);
    expect(audit.items.filter((r) => r.action === 'sync' && r.detail?.includes('bulk sync')).length).toBe(results.length);
  });
});
