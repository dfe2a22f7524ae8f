import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { ClusterHealthPanels, FleetHealth, FleetRollouts, FleetTree, Me } from '@fleetdeck/shared';
import { CookieJar, browserFetch, signInThroughProvider } from '@fleetdeck/testbed/browser-login';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import type { RunningServer } from '../../src/server.ts';
import { startDemoBff } from '../helpers/demo-client.ts';

/**
 * The BFF in real mode against the testbed: sign-in through the real OIDC provider
 * (authorization code + PKCE), the inventory from the real hub's MemberClusters.
 */
const env = inject('testbed');
const PORT = 18090;
const base = `http://127.0.0.1:${PORT}`;
let bff: RunningServer;

beforeAll(async () => {
  bff = await startDemoBff({
    mode: 'real',
    server: { port: PORT },
    session: { secret: 'x'.repeat(40) },
    auth: {
      oidc: {
        issuerUrl: env.oidc.issuer,
        clientId: env.oidc.clientId,
        clientSecret: env.oidc.clientSecret,
        redirectUrl: `${base}/api/auth/callback`,
        allowInsecureHttp: true,
      },
    },
    inventory: { sources: ['kubefleet'], hubKubeconfig: env.hub.bffKubeconfig },
    prometheus: { url: env.prometheus.url },
  });
});
afterAll(async () => {
  await bff?.close();
});

async function signIn(user: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const { callback } = await signInThroughProvider({
    start: new URL(`${base}/api/auth/login?returnTo=%2Ffleet`),
    user,
    password,
    stopAt: `${base}/api/auth/callback`,
    jar,
  });
  const done = await browserFetch(jar, callback);
  expect(done.status).toBe(303);
  expect(done.headers.get('location')).toBe('/fleet');
  return jar;
}

const expected: Record<string, { tenants: string[]; noProduction?: boolean }> = {
  'platform-admin@demo': { tenants: ['client-a', 'client-b', 'client-c'] },
  'client-a-admin@demo': { tenants: ['client-a'] },
  'client-a-dev@demo': { tenants: ['client-a'], noProduction: true },
  'client-b-viewer@demo': { tenants: ['client-b'] },
  'oncall-admin@demo': { tenants: ['client-a', 'client-b', 'client-c'] },
};

describe('OIDC sign-in through the testbed provider, inventory from the testbed hub', () => {
  for (const u of env.oidc.users) {
    it(`${u.user}: signs in; /api/me carries the groups from the ID token; /api/fleet is scoped`, async () => {
      const jar = await signIn(u.user, u.password);
      const me = Me.parse(await (await browserFetch(jar, new URL(`${base}/api/me`))).json());
      expect(me.principal).toMatchObject({ user: u.user, groups: u.groups });
      expect(me.authMode).toBe('oidc');
      const fleet = FleetTree.parse(await (await browserFetch(jar, new URL(`${base}/api/fleet`))).json());
      expect(fleet.tenants.map((t) => t.id)).toEqual(expected[u.user]!.tenants);
      const clusters = fleet.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters));
      expect(clusters.length).toBeGreaterThan(0);
      expect(clusters.every((c) => c.source === 'kubefleet')).toBe(true);
      if (expected[u.user]!.noProduction) expect(clusters.every((c) => c.environment !== 'production')).toBe(true);
    });
  }

  it('reads MemberCluster health: a stale heartbeat is not Ready', async () => {
    // The testbed has no member agents: heartbeat for prod-us-east now, as its agent would,
    // so the test does not depend on how long ago the testbed was seeded (stale after 3 periods).
    const hub = kubeClient(env, env.hub, 'admin');
    const path = '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/prod-us-east';
    const current = await hub.expectOk<{ status: { agentStatus: { lastReceivedHeartbeat?: string }[] } }>('GET', path);
    const now = new Date().toISOString();
    await hub.expectOk('PATCH', `${path}/status`, {
      body: { status: { agentStatus: current.status.agentStatus.map((a) => ({ ...a, lastReceivedHeartbeat: now })) } },
      contentType: 'application/merge-patch+json',
    });
    const jar = await signIn('platform-admin@demo', 'testbed');
    const clusters = async () => {
      const fleet = FleetTree.parse(await (await browserFetch(jar, new URL(`${base}/api/fleet`))).json());
      return new Map(fleet.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters)).map((c) => [c.name, c]));
    };
    await expect.poll(async () => (await clusters()).get('prod-us-east')?.state, { timeout: 15_000 }).toBe('Ready');
    const byName = await clusters();
    expect(byName.get('edge-retail-011')?.state).toBe('Unknown');
    expect(byName.get('prod-us-east')?.nodeCount).toBe(12);
  });

  it('answers fleet health from the real Prometheus, for the caller’s clusters only', async () => {
    const jar = await signIn('client-a-admin@demo', 'testbed');
    const health = FleetHealth.parse(await (await browserFetch(jar, new URL(`${base}/api/fleet/health`))).json());
    expect(health.errors).toEqual([]);
    const names = Object.keys(health.clusters);
    expect(names).toHaveLength(15);
    expect(names.every((n) => !['prod-eu-west', 'prod-asia', 'client-b-dev'].includes(n))).toBe(true);
    expect(health.clusters['prod-us-east']).toMatchObject({ apiUp: true, nodesTotal: 12 });
    expect(health.clusters['prod-us-east']!.podHealthRatio).toBeGreaterThan(0.5);
  });

  it('lists unfinished staged update runs per cluster, naming only runs wholly in the caller’s view', async () => {
    const admin = await signIn('platform-admin@demo', 'testbed');
    const all = FleetRollouts.parse(await (await browserFetch(admin, new URL(`${base}/api/fleet/rollouts`))).json());
    expect(all.clusters['client-b-dev']?.map((r) => r.run)).toEqual(['client-b-apps-v42']);
    const viewer = await signIn('client-b-viewer@demo', 'testbed');
    const b = FleetRollouts.parse(await (await browserFetch(viewer, new URL(`${base}/api/fleet/rollouts`))).json());
    expect(Object.keys(b.clusters).every((c) => c.startsWith('client-b') || c === 'prod-eu-west')).toBe(true);
    expect(JSON.stringify(b)).not.toMatch(/client-a|client-c/);
  });

  it("draws one cluster's nine health panels from the seeded Prometheus history", async () => {
    const jar = await signIn('client-a-admin@demo', 'testbed');
    const body = ClusterHealthPanels.parse(
      await (await browserFetch(jar, new URL(`${base}/api/clusters/prod-us-east/health?range=6h`))).json(),
    );
    expect(body.panels.map((p) => p.id)).toEqual([
      'apiAvailability',
      'nodesReady',
      'podHealthRatio',
      'gitopsSync',
      'lastSync',
      'violations',
      'failedAuth',
      'cpu',
      'memory',
    ]);
    for (const p of body.panels) {
      expect(p.errors, p.id).toEqual([]);
      expect(p.series[0]?.cluster).toBe('prod-us-east');
      expect(p.series[0]!.samples.length, p.id).toBeGreaterThan(100);
    }
    // Nodes ready is a ratio of the cluster's nodes; CPU is in cores (the seeded cluster has 12 nodes).
    expect(body.panels.find((p) => p.id === 'nodesReady')!.series[0]!.samples.every(([, v]) => v >= 0 && v <= 1)).toBe(true);
    const cpuPanel = body.panels.find((p) => p.id === 'cpu')!;
    expect(cpuPanel.unit).toBe('cores');
    const cpu = cpuPanel.series[0]!.samples.map(([, v]) => v);
    expect(Math.min(...cpu)).toBeGreaterThan(0);
    expect(Math.max(...cpu)).toBeLessThan(12 * 64);
    expect((await browserFetch(jar, new URL(`${base}/api/clusters/prod-eu-west/health`))).status).toBe(404);
    expect((await browserFetch(jar, new URL(`${base}/api/clusters/prod-us-east/health?range=2y`))).status).toBe(400);
  });

  it('signs out, names the provider end-session URL, and the session is gone', async () => {
    const jar = await signIn('client-b-viewer@demo', 'testbed');
    const me = Me.parse(await (await browserFetch(jar, new URL(`${base}/api/me`))).json());
    const out = await browserFetch(jar, new URL(`${base}/api/auth/logout`), {
      method: 'POST',
      headers: { origin: base, 'x-csrf-token': me.csrfToken },
    });
    expect(out.status).toBe(200);
    const { endSessionUrl } = (await out.json()) as { endSessionUrl?: string };
    expect(endSessionUrl).toMatch(new RegExp(`^${env.oidc.issuer}/session/end\\?client_id=`));
    expect((await browserFetch(jar, new URL(`${base}/api/me`))).status).toBe(401);
  });

  it('refuses a callback whose state does not match (no sign-in, 401 problem)', async () => {
    const jar = new CookieJar();
    await browserFetch(jar, new URL(`${base}/api/auth/login`));
    const res = await browserFetch(jar, new URL(`${base}/api/auth/callback?code=forged&state=forged`));
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
