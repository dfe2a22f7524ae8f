import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { VIOLATION_CSV_COLUMNS, ViolationCoverage, ViolationList, ViolationSummary, type Principal } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';

/**
 * The violations API over the testbed's two real spokes (client-a-staging: client-a,
 * staging; prod-eu-west: client-b, production), watched with the BFF's own identity.
 * Scope per persona, summary counts and CSV rows.
 */
const env = inject('testbed');
let bff: RunningServer;

const PEOPLE = {
  platform: { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] },
  aAdmin: { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] },
  aDev: { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] },
  bViewer: { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] },
} satisfies Record<string, Principal>;
type Who = keyof typeof PEOPLE;

async function get(who: Who, path: string): Promise<Response> {
  const res = await fetch(bff.url + path, { headers: { cookie: await forgeSessionCookie(PEOPLE[who]) } });
  expect(res.status, `${who} ${path}`).toBe(200);
  return res;
}
const list = async (who: Who, q = '?limit=500') => ViolationList.parse(await (await get(who, `/api/violations${q}`)).json());
const summary = async (who: Who) => ViolationSummary.parse(await (await get(who, '/api/violations/summary')).json());

beforeAll(async () => {
  bff = await startTestbedBff(env, { spokes: { kubeconfigs: Object.fromEntries(env.spokes.map((s) => [s.name, s.bffKubeconfig])) } });
  // The informers list the spokes in the background: wait until both feeds are live with data.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const l = await list('platform');
    const live = l.feeds.filter((f) => f.state === 'live').map((f) => f.cluster);
    if (env.spokes.every((s) => live.includes(s.name)) && new Set(l.items.map((v) => v.cluster)).size === env.spokes.length) break;
    if (Date.now() > deadline) throw new Error(`spokes not live within 60 s: ${JSON.stringify(l.feeds)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 90_000);
afterAll(async () => {
  await bff?.close();
});

describe('violations over the testbed spokes, per persona', () => {
  it('shows a Platform Admin both spokes, cluster-scoped results and the over-cap constraint', async () => {
    const l = await list('platform');
    expect(new Set(l.items.map((v) => v.cluster))).toEqual(new Set(['client-a-staging', 'prod-eu-west']));
    expect(l.items.some((v) => v.resource.namespace === undefined)).toBe(true);
    expect(l.truncations.some((t) => t.cluster === 'prod-eu-west' && t.total > t.shown)).toBe(true);
  });

  it('splits the Platform Admin’s counts exactly between the two tenants’ people', async () => {
    const [all, a, b] = await Promise.all([summary('platform'), summary('aAdmin'), summary('bViewer')]);
    expect(a.total + b.total).toBe(all.total);
    expect(a.byTenant).toEqual([{ tenant: 'client-a', count: a.total }]);
    expect(b.byTenant).toEqual([{ tenant: 'client-b', count: b.total }]);
    expect(a.byPolicyCluster.every((c) => c.cluster === 'client-a-staging')).toBe(true);
    expect(b.byPolicyCluster.every((c) => c.cluster === 'prod-eu-west')).toBe(true);
    expect(JSON.stringify(a)).not.toContain('prod-eu-west');
    expect(JSON.stringify(b)).not.toContain('client-a-staging');
  });

  it('gives a Developer their namespaces only: no cluster-scoped rows, no truncations, no coverage', async () => {
    const l = await list('aDev');
    expect(l.items.length).toBeGreaterThan(0);
    expect(l.items.every((v) => v.cluster === 'client-a-staging' && v.resource.namespace?.startsWith('client-a-'))).toBe(true);
    expect(l.truncations).toEqual([]);
    const s = await summary('aDev');
    expect(s.total).toBe(l.total);
    expect(s.byNamespace.every((n) => n.namespace.startsWith('client-a-'))).toBe(true);
    const cov = ViolationCoverage.parse(await (await get('aDev', '/api/violations/coverage')).json());
    expect(cov.coverage).toEqual([]);
    expect(cov.isolation.every((i) => i.namespace.startsWith('client-a-'))).toBe(true);
    // The Tenant Admin sees the same cluster whole: at least as much, and its coverage.
    expect((await summary('aAdmin')).total).toBeGreaterThanOrEqual(s.total);
  });

  it('exports exactly the rows each person may see', async () => {
    for (const who of ['platform', 'aAdmin', 'aDev', 'bViewer'] as const) {
      const text = await (await get(who, '/api/violations/export.csv')).text();
      const lines = text.split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(VIOLATION_CSV_COLUMNS.join(','));
      expect(lines.length - 1, who).toBe((await summary(who)).total);
      if (who === 'aAdmin' || who === 'aDev') expect(text).not.toContain('prod-eu-west');
      if (who === 'bViewer') expect(text).not.toContain('client-a-staging');
    }
  });
});
