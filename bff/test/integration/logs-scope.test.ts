import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { LogsScope, Problem, logsApiPaths, type Principal } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { startRealModeBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';

/** GET /api/logs/scope on the testbed's fleet: what each persona's queries are limited to. */
const ADMIN: Principal = { user: 'admin@example.com', groups: ['fleet-platform-admins'] };
const A_ADMIN: Principal = { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] };
const A_DEV: Principal = { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] };
const B_VIEWER: Principal = { user: 'client-b-viewer@demo', groups: ['tenant-client-b-viewers'] };
const NOBODY: Principal = { user: 'outsider@example.com', groups: ['marketing'] };
const CLIENT_A = ['client-a-staging', 'edge-retail-001', 'prod-us-east', 'prod-us-west'];
const OTHERS = ['prod-eu-west', 'client-b-staging', 'client-b-dev', 'prod-asia', 'client-c-staging'];

let bff: RunningServer;
let bffOrgs: RunningServer;
beforeAll(async () => {
  // The scope needs no Loki: it is the person's access, not an upstream answer.
  bff = await startRealModeBff();
  // Multi-tenant Loki with an org id for client-a only: other tenants' clusters cannot be read.
  bffOrgs = await startRealModeBff({ overrides: { loki: { url: 'http://127.0.0.1:9', tenantOrgIds: { 'client-a': 'org-a' } } } });
});
afterAll(async () => {
  await bff?.close();
  await bffOrgs?.close();
});

async function scopeOf(who: Principal, server = bff) {
  const res = await fetch(`${server.url}${logsApiPaths.scope}`, { headers: { cookie: await forgeSessionCookie(who) } });
  expect(res.status, await res.clone().text()).toBe(200);
  return LogsScope.parse(await res.json());
}

describe('GET /api/logs/scope', () => {
  it('is unrestricted for a Platform Admin: every cluster, every namespace, one group', async () => {
    const s = await scopeOf(ADMIN);
    expect(s.unrestricted).toBe(true);
    expect(s.groups).toHaveLength(1);
    expect(s.groups[0]!.namespaces).toBe('*');
    expect(s.groups[0]!.clusters).toEqual(expect.arrayContaining([...CLIENT_A, 'prod-eu-west', 'client-b-staging']));
    expect(s.groups[0]!.matchers).toMatch(/^cluster=~"[^"]+"$/);
  });

  it("limits a Tenant Admin to their tenant's clusters, a Viewer to theirs, and a Developer to their namespaces too", async () => {
    const a = await scopeOf(A_ADMIN);
    expect(a.unrestricted).toBe(false);
    const aClusters = a.groups.flatMap((g) => g.clusters);
    expect(aClusters).toEqual(expect.arrayContaining(CLIENT_A));
    for (const c of OTHERS) expect(aClusters).not.toContain(c);
    expect(a.groups.every((g) => g.namespaces === '*')).toBe(true);
    expect(JSON.stringify(a)).not.toMatch(/client-b|prod-eu-west/);

    const b = await scopeOf(B_VIEWER);
    expect(b.unrestricted).toBe(false);
    const bClusters = b.groups.flatMap((g) => g.clusters);
    expect(bClusters).toContain('prod-eu-west');
    for (const c of CLIENT_A) expect(bClusters).not.toContain(c);

    const dev = await scopeOf(A_DEV);
    expect(dev.unrestricted).toBe(false);
    expect(dev.groups.length).toBeGreaterThan(0);
    for (const g of dev.groups) {
      expect(g.namespaces).not.toBe('*');
      expect(g.clusters).not.toContain('prod-us-east');
      // Both matchers, as spliced into every selector.
      expect(g.matchers).toMatch(/^cluster=~"[^"]+", namespace=~"[^"]+"$/);
    }
    expect(dev.groups.flatMap((g) => g.clusters)).toContain('client-a-staging');
  });

  it('leaves out clusters of tenants without a Loki org id', async () => {
    const admin = await scopeOf(ADMIN, bffOrgs);
    expect(admin.unrestricted).toBe(false);
    // Exactly client-a's clusters: what a client-a Tenant Admin reads.
    const clientA = (await scopeOf(A_ADMIN)).groups.flatMap((g) => g.clusters).sort();
    expect(admin.groups.flatMap((g) => g.clusters).sort()).toEqual(clientA);
    const res = await fetch(`${bffOrgs.url}${logsApiPaths.scope}`, { headers: { cookie: await forgeSessionCookie(B_VIEWER) } });
    expect(res.status).toBe(403);
  });

  it('answers 403 problem JSON to someone with no log access at all', async () => {
    const res = await fetch(`${bff.url}${logsApiPaths.scope}`, { headers: { cookie: await forgeSessionCookie(NOBODY) } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    Problem.parse(await res.json());
  });
});
