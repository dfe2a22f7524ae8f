import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { ClusterViolations, ClusterWorkloads, Problem, type Cluster } from '@fleetdeck/shared';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import type { RunningServer } from '../../src/server.ts';
import { Spokes } from '../../src/sources/spokes/spokes.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';

/** Per-cluster drill-down goes to that spoke as the person; a down spoke degrades only its own drill-down. */
const env = inject('testbed');
let bff: RunningServer;

beforeAll(async () => {
  const kubeconfigs = Object.fromEntries(env.spokes.map((s) => [s.name, s.bffKubeconfig]));
  // edge-retail-001 points at a port nothing listens on: a spoke that is down.
  const down = env.spokes[0]!.bffKubeconfig.replace(/[^/]+$/, 'down.kubeconfig');
  const { readFileSync, writeFileSync } = await import('node:fs');
  writeFileSync(
    down,
    readFileSync(env.spokes[0]!.bffKubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:9'),
  );
  bff = await startTestbedBff(env, {
    spokes: { kubeconfigs: { ...kubeconfigs, 'edge-retail-001': down } },
    accessPolicy: {
      ...DEFAULT_ACCESS_POLICY,
      bindings: [
        ...DEFAULT_ACCESS_POLICY.bindings,
        { group: 'auditors', role: 'viewer', tenants: '*', environments: '*', namespaces: '*' },
      ],
    },
  });
});
afterAll(async () => {
  await bff?.close();
});

const get = async (path: string, user: string, groups: string[]) =>
  fetch(bff.url + path, { headers: { cookie: await forgeSessionCookie({ user, groups }) } });

describe('cluster drill-down', () => {
  it("shows a Tenant Admin every namespace's pods, read as them", async () => {
    const res = await get('/api/clusters/client-a-staging/workloads', 'client-a-admin@demo', ['tenant-client-a-admins']);
    const body = ClusterWorkloads.parse(await res.json());
    const apps = body.namespaces.find((n) => n.namespace === 'client-a-apps');
    expect(apps?.pods).toEqual({ running: 2, pending: 1, failed: 0, other: 0 });
    expect(body.namespaces.map((n) => n.namespace)).toEqual(
      expect.arrayContaining(['client-a-apps', 'client-a-jobs', 'platform-system', 'default']),
    );
  });

  it('shows a Developer only their namespaces, and nothing on production', async () => {
    const dev = ClusterWorkloads.parse(
      await (await get('/api/clusters/client-a-staging/workloads', 'client-a-dev@demo', ['tenant-client-a-developers'])).json(),
    );
    expect(dev.namespaces.map((n) => n.namespace)).toEqual(['client-a-apps', 'client-a-jobs']);
    expect(dev.namespaces.find((n) => n.namespace === 'client-a-jobs')?.pods.failed).toBe(1);
    expect((await get('/api/clusters/prod-eu-west/workloads', 'dev-b@example.com', ['tenant-client-b-developers'])).status).toBe(404);
  });

  it('lets the spoke refuse what our scope would allow (the second wall)', async () => {
    // "auditors" are viewers in this BFF's access policy, but no spoke binds or lets the BFF impersonate them.
    const res = await get('/api/clusters/prod-eu-west/workloads', 'auditor@example.com', ['auditors']);
    const body = ClusterWorkloads.parse(await res.json());
    expect(body.namespaces).toEqual([]);
    expect(body.forbidden).toEqual(expect.arrayContaining(['client-b-apps']));
  });

  it("answers a cluster's Gatekeeper and Kyverno findings from the BFF's watch of the spoke, cut per person", async () => {
    const admin = ClusterViolations.parse(
      await (await get('/api/clusters/client-a-staging/violations', 'client-a-admin@demo', ['tenant-client-a-admins'])).json(),
    );
    expect(admin.errors, JSON.stringify(admin.errors)).toEqual([]);
    expect(admin.items.filter((v) => v.engine === 'gatekeeper')).toHaveLength(6);
    expect([...new Set(admin.items.filter((v) => v.engine === 'kyverno').map((v) => v.policy))].sort()).toEqual([
      'disallow-latest-tag',
      'require-labels',
      'require-requests-limits',
    ]);
    expect(admin.items.every((v) => v.cluster === 'client-a-staging')).toBe(true);
    // A Developer gets the findings in their namespaces only, of both engines, and nothing cluster-scoped.
    const dev = ClusterViolations.parse(
      await (await get('/api/clusters/client-a-staging/violations', 'client-a-dev@demo', ['tenant-client-a-developers'])).json(),
    );
    expect(dev.errors).toEqual([]);
    expect(dev.items.length).toBeGreaterThan(0);
    expect(dev.items.every((v) => v.resource.namespace !== undefined && /^client-a-/.test(v.resource.namespace))).toBe(true);
    expect(dev.items.length).toBe(admin.items.filter((v) => v.resource.namespace?.startsWith('client-a-')).length);
    // Another tenant's cluster is not there for them at all.
    expect((await get('/api/clusters/prod-eu-west/violations', 'client-a-admin@demo', ['tenant-client-a-admins'])).status).toBe(404);
  });

  it('answers 404 for another tenant’s cluster and 502 for a spoke that is down, the fleet unaffected', async () => {
    expect((await get('/api/clusters/prod-eu-west/workloads', 'client-a-admin@demo', ['tenant-client-a-admins'])).status).toBe(404);
    const downRes = await get('/api/clusters/edge-retail-001/workloads', 'client-a-admin@demo', ['tenant-client-a-admins']);
    expect(downRes.status).toBe(502);
    const problem = Problem.parse(await downRes.json());
    expect(problem.detail).toMatch(/edge-retail-001 is not answering/);
    // The upstream's own words (addresses, errno) are logged, not sent: the browser gets a request id.
    expect(JSON.stringify(problem)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9\b/);
    expect(problem.requestId).toBeTruthy();
    expect((await get('/api/fleet', 'client-a-admin@demo', ['tenant-client-a-admins'])).status).toBe(200);
    expect((await get('/api/clusters/client-a-staging/workloads', 'client-a-admin@demo', ['tenant-client-a-admins'])).status).toBe(200);
  });

  it('lists pods page by page (limit/continue) and reuses one person’s counts briefly', async () => {
    const spokes = new Spokes(Object.fromEntries(env.spokes.map((sp) => [sp.name, sp.bffKubeconfig])), { pageSize: 1 });
    const cluster = { name: 'client-a-staging', tenant: 'client-a', environment: 'staging' } as Cluster;
    const person = { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] };
    const scope = resolveScope(person, DEFAULT_ACCESS_POLICY);
    const paged = await spokes.workloads(cluster, person, scope);
    const apps = paged.namespaces.find((n) => n.namespace === 'client-a-apps')!;
    // Three pods, one per page: all counted.
    expect(apps.pods).toEqual({ running: 2, pending: 1, failed: 0, other: 0 });
    expect(await spokes.workloads(cluster, person, scope)).toBe(paged);
    // Another person is not served from that cache.
    const dev = { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] };
    const devView = await spokes.workloads(cluster, dev, resolveScope(dev, DEFAULT_ACCESS_POLICY));
    expect(devView).not.toBe(paged);
    expect(devView.namespaces.map((n) => n.namespace)).toEqual(['client-a-apps', 'client-a-jobs']);
  });
});
