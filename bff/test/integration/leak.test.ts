import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../src/server.ts';
import type { DemoInventory } from '../../src/sources/demo/demo-inventory.ts';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { Browser, startDemoBff } from '../helpers/demo-client.ts';

/**
 * A Tenant Admin of client-a crawls every GET route for a while; no byte of any answer
 * may name another tenant or one of its clusters. New routes join the crawl by being
 * registered. Answers identical to what an anonymous caller gets are public by design
 * (the sign-in page's persona list) and are not theirs to leak.
 */
const FORBIDDEN = [
  'client-b',
  'client-c',
  ...demoClusters(new Date())
    .filter((c) => c.tenant !== 'client-a')
    .map((c) => c.name),
];

let bff: RunningServer;
beforeAll(async () => {
  bff = await startDemoBff();
});
afterAll(async () => {
  await bff?.close();
});

describe('leak test: Tenant Admin of client-a', () => {
  it('never receives another tenant’s id or cluster names from any GET route', async () => {
    // Everyone else acts first, so the audit trail and the live data hold other tenants' traces.
    for (const persona of ['platform-admin@demo', 'client-b-viewer@demo', 'client-a-dev@demo']) {
      const other = new Browser(bff.url);
      await other.signIn(persona);
      const me = (await (await other.fetch('/api/me')).json()) as { csrfToken: string };
      await other.fetch('/api/fleet/rollouts');
      expect(
        (await other.fetch('/api/auth/logout', { method: 'POST', headers: { origin: bff.url, 'x-csrf-token': me.csrfToken } })).status,
      ).toBe(200);
    }
    const browser = new Browser(bff.url);
    await browser.signIn('client-a-admin@demo');
    // The rollouts route has runs of every tenant to leak (the demo has one per tenant and a fleet-wide one).
    const rollouts = (await (await browser.fetch('/api/fleet/rollouts')).json()) as { clusters: Record<string, unknown[]> };
    expect(Object.keys(rollouts.clusters).length).toBeGreaterThan(0);
    // Streams are crawled by their own test below; parameterised routes too.
    const gets = bff.routes.filter((r) => r.method === 'get' && !r.path.includes(':') && r.path !== '/api/events');
    expect(gets.length).toBeGreaterThan(5);
    const deadline = Date.now() + 3000;
    let requests = 0;
    const checked = new Set<string>();
    while (Date.now() < deadline) {
      for (const route of gets) {
        const res = await browser.fetch(route.path);
        const body = await res.text();
        requests++;
        const anonymous = await (await fetch(bff.url + route.path, { redirect: 'manual' })).text();
        // Request ids differ per request; everything else must be the same bytes.
        const same = (a: string, b: string) => a.replace(/"requestId":"[^"]*"/g, '') === b.replace(/"requestId":"[^"]*"/g, '');
        if (route.permission.kind === 'public' && same(body, anonymous)) continue;
        checked.add(route.path);
        for (const word of FORBIDDEN) expect(body, `${route.path} leaked "${word}"`).not.toContain(word);
      }
    }
    expect(requests).toBeGreaterThan(gets.length);
    // The routes that carry fleet data were really checked, not skipped as public.
    expect([...checked]).toEqual(
      expect.arrayContaining(['/api/fleet', '/api/me', '/api/audit', '/api/fleet/rollouts', '/api/fleet/health']),
    );
  });

  it("answers another tenant's cluster exactly like a cluster that does not exist", async () => {
    const browser = new Browser(bff.url);
    await browser.signIn('client-a-admin@demo');
    const strip = (body: string, name: string) =>
      body
        .replaceAll(name, '<name>')
        .replace(/"requestId":"[^"]*"/, '')
        .replace(/"instance":"[^"]*"/, '');
    const missing = await browser.fetch('/api/clusters/no-such-cluster');
    const missingBody = strip(await missing.text(), 'no-such-cluster');
    for (const c of demoClusters(new Date())) {
      const res = await browser.fetch(`/api/clusters/${c.name}`);
      const body = await res.text();
      if (c.tenant === 'client-a') {
        expect(res.status).toBe(200);
        for (const word of FORBIDDEN) expect(body).not.toContain(word);
      } else {
        expect(res.status).toBe(404);
        expect(strip(body, c.name)).toBe(missingBody);
      }
    }
  });

  it('never streams an event about another tenant, while every tenant changes', async () => {
    const browser = new Browser(bff.url);
    await browser.signIn('client-a-admin@demo');
    const controller = new AbortController();
    const res = await browser.fetch('/api/events', { signal: controller.signal });
    const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    })();
    const inventory = bff.services.inventory as DemoInventory;
    for (const c of demoClusters(new Date())) inventory.update(c.name, { state: 'NotReady' });
    for (const c of demoClusters(new Date()))
      if (c.tenant !== 'client-a') inventory.update(c.name, { labels: { ...c.labels, moved: 'yes' } });
    await new Promise((r) => setTimeout(r, 500));
    controller.abort();
    await reading;
    expect(text).toContain('prod-us-east');
    for (const word of FORBIDDEN) expect(text, `SSE leaked "${word}"`).not.toContain(word);
  });
});
