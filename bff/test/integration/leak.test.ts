import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../src/server.ts';
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
    const browser = new Browser(bff.url);
    await browser.signIn('client-a-admin@demo');
    const gets = bff.routes.filter((r) => r.method === 'get' && !r.path.includes(':'));
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
    expect([...checked]).toEqual(expect.arrayContaining(['/api/fleet', '/api/me', '/api/audit']));
  });
});
