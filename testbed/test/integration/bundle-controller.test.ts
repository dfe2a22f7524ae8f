import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { kubeClient } from '../../src/kube/from-env.ts';
import '../../src/vitest-context.ts';

const env = inject('testbed');
const F = '/apis/fleet.cattle.io/v1alpha1';
const NS = 'fleet-default';
const SEEDED = `${F}/namespaces/${NS}/bundles/cve-2024-critical-patch`;
const HELD = `${F}/namespaces/${NS}/bundles/security-patch-cve-2026-1234`;
const REPO = `${F}/namespaces/${NS}/gitrepos/cve-2024-critical`;
// A bundle of this test's own, so upgrades do not depend on the seeded canary: Fleet never
// upgrades a ready cluster in a partition whose maxUnavailable is 0, as the seeded one's is.
const OWN_NAME = 'testbed-upgrade-probe';
const OWN = `${F}/namespaces/${NS}/bundles/${OWN_NAME}`;

interface BundleDeployment {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { stagedDeploymentID?: string; deploymentID?: string };
  status?: { appliedDeploymentID?: string; ready?: boolean; display?: { state?: string }; nonReadyStatus?: unknown[] };
}
interface Summary {
  ready: number;
  desiredReady: number;
  errApplied: number;
  nonReadyResources?: { name: string }[];
}
interface Bundle {
  metadata: { labels?: Record<string, string> };
  spec: { paused?: boolean };
  status?: {
    summary?: Summary;
    partitions?: { name: string; count: number; maxUnavailable: number; unavailable: number; summary?: Summary }[];
    display?: { readyClusters: string };
  };
}
interface GitRepo {
  status?: { commit?: string; readyClusters?: number; desiredReadyClusters?: number; display?: { readyBundleDeployments?: string } };
}

const admin = () => kubeClient(env, env.hub, 'admin');
const hub = () => kubeClient(env, env.hub, 'bff');
const PLATFORM = { 'Impersonate-User': 'platform-admin@demo', 'Impersonate-Group': ['fleet-platform-admins'] };

async function eventually<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function deployments(bundle: string): Promise<Map<string, BundleDeployment>> {
  const list = await admin().expectOk<{ items: BundleDeployment[] }>(
    'GET',
    `${F}/bundledeployments?labelSelector=fleet.cattle.io/bundle-name=${bundle}`,
  );
  return new Map(list.items.map((bd) => [bd.metadata.labels['fleet.cattle.io/cluster']!, bd]));
}
const released = (bd: BundleDeployment | undefined, id: string) => bd?.spec.deploymentID === id;
const applied = (bds: Map<string, BundleDeployment>, id: string) =>
  [...bds.entries()].filter(([, bd]) => bd.status?.appliedDeploymentID === id && bd.status.ready).map(([c]) => c);

/** A new version of the probe bundle: its commit label is what Fleet renders into the deployment id. */
const setOwnCommit = (commit: string) =>
  admin().expectOk('PATCH', OWN, {
    body: { metadata: { labels: { 'fleet.cattle.io/commit': commit } } },
    contentType: 'application/merge-patch+json',
  });
const setOwnPaused = (paused: boolean) =>
  hub().request('PATCH', OWN, { body: { spec: { paused } }, contentType: 'application/merge-patch+json', headers: PLATFORM });

/** The staged deployment id once every probe BundleDeployment carries the one for `commit`. */
const stagedFor = (commit: string) =>
  eventually(`deployments staged for ${commit}`, async () => {
    const ids = new Set([...(await deployments(OWN_NAME)).values()].map((bd) => bd.spec.stagedDeploymentID));
    const [id] = ids;
    return ids.size === 1 && id?.startsWith(`s-${commit}:`) ? id : undefined;
  });

beforeAll(async () => {
  const seeded = await admin().expectOk<{ spec: Record<string, unknown> }>('GET', SEEDED);
  await admin().expectOk('POST', `${F}/namespaces/${NS}/bundles`, {
    body: {
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'Bundle',
      metadata: { name: OWN_NAME, namespace: NS, labels: { 'fleet.cattle.io/commit': 'aaaa0001' } },
      spec: {
        targets: seeded.spec.targets,
        resources: [{ name: 'probe.yaml', content: '# probe\n' }],
        rolloutStrategy: {
          partitions: [
            { name: 'canary', clusterSelector: { matchLabels: { tier: 'canary' } }, maxUnavailable: 1 },
            { name: 'edge', clusterGroup: 'edge-clusters', maxUnavailable: 2 },
            { name: 'production', clusterSelector: { matchLabels: { env: 'production' } } },
          ],
        },
      },
    },
  });
});
afterAll(async () => {
  await admin().request('DELETE', OWN);
  for (const bd of (await deployments(OWN_NAME)).values())
    await admin().request('DELETE', `${F}/namespaces/${bd.metadata.namespace}/bundledeployments/${bd.metadata.name}`);
});

describe('Rancher Fleet stand-in against the real hub', () => {
  it('rolls the seeded bundle out to its 14 clusters in three partitions, and rolls the GitRepo up', async () => {
    const bundle = await eventually('the bundle summary', async () => {
      const b = await admin().expectOk<Bundle>('GET', SEEDED);
      return b.status?.summary?.ready === 14 ? b : undefined;
    });
    expect(bundle.status?.display?.readyClusters).toBe('14/14');
    expect(bundle.status?.partitions?.map((p) => [p.name, p.count])).toEqual([
      ['canary', 1],
      ['edge', 11],
      ['production', 2],
    ]);
    const repo = await eventually('the GitRepo roll-up', async () => {
      const r = await admin().expectOk<GitRepo>('GET', REPO);
      return r.status?.readyClusters === 14 ? r : undefined;
    });
    expect(repo.status).toMatchObject({ desiredReadyClusters: 14, display: { readyBundleDeployments: '14/14' } });
    const bds = await deployments('cve-2024-critical-patch');
    expect(bds.get('prod-us-east')?.metadata.labels['fleet.cattle.io/commit']).toBe(repo.status?.commit);
  });

  it("upgrades partition by partition, never more edge clusters at a time than edge's maxUnavailable", async () => {
    const first = await stagedFor('aaaa0001');
    await eventually('the first version everywhere', async () =>
      applied(await deployments(OWN_NAME), first).length === 14 ? true : undefined,
    );
    await setOwnCommit('bbbb0002');
    const id = await stagedFor('bbbb0002');
    const firstReleased = new Map<string, number>();
    let edgeInFlight = 0;
    const t0 = Date.now();
    await eventually(
      'every cluster to apply it',
      async () => {
        const bds = await deployments(OWN_NAME);
        for (const [c, bd] of bds) if (released(bd, id) && !firstReleased.has(c)) firstReleased.set(c, Date.now() - t0);
        const done = new Set(applied(bds, id));
        const edge = [...bds.entries()].filter(([c, bd]) => c.startsWith('edge-retail-') && c !== 'edge-retail-001' && released(bd, id));
        edgeInFlight = Math.max(edgeInFlight, edge.filter(([c]) => !done.has(c)).length);
        return done.size === 14 ? true : undefined;
      },
      40_000,
    );
    const canary = firstReleased.get('edge-retail-001')!;
    const edge = [...firstReleased.entries()].filter(([c]) => c.startsWith('edge-retail-') && c !== 'edge-retail-001').map(([, t]) => t);
    const production = ['prod-us-east', 'prod-us-west'].map((c) => firstReleased.get(c)!);
    expect(edge).toHaveLength(11);
    // A canary with maxUnavailable 1 is within its limit while it applies, so edge may start with it;
    // production waits until at most 2 edge clusters (edge's limit) are not yet up to date.
    expect(Math.min(...edge)).toBeGreaterThanOrEqual(canary);
    expect(Math.min(...production)).toBeGreaterThanOrEqual(Math.max(...edge));
    expect(edgeInFlight).toBeGreaterThan(0);
    expect(edgeInFlight).toBeLessThanOrEqual(2);
    const bundle = await admin().expectOk<Bundle>('GET', OWN);
    expect(bundle.status?.partitions?.find((p) => p.name === 'edge')).toMatchObject({ count: 11, maxUnavailable: 2 });
  });

  it('holds the production partition while edge is over its maxUnavailable (two failing clusters)', async () => {
    const held = await eventually('edge over its limit', async () => {
      const b = await admin().expectOk<Bundle>('GET', HELD);
      const edge = b.status?.partitions?.find((p) => p.name === 'edge');
      return edge && edge.unavailable === 2 && b.status?.summary?.errApplied === 2 ? b : undefined;
    });
    const edge = held.status?.partitions?.find((p) => p.name === 'edge');
    expect(edge).toMatchObject({ count: 11, maxUnavailable: 1, unavailable: 2 });
    // Fleet names clusters (namespace/name) in nonReadyResources, not BundleDeployments.
    expect(edge?.summary?.nonReadyResources?.map((r) => r.name)).toEqual([
      'fleet-default/edge-retail-007',
      'fleet-default/edge-retail-011',
    ]);
    await sleep(1500);
    const bds = await deployments('security-patch-cve-2026-1234');
    for (const c of ['prod-us-east', 'prod-us-west']) {
      const bd = bds.get(c)!;
      expect(bd.spec.stagedDeploymentID, c).toBeTruthy();
      expect(bd.spec.deploymentID, c).toBeUndefined();
    }
    expect(bds.get('edge-retail-007')?.status).toMatchObject({ ready: false, display: { state: 'ErrApplied' } });
    expect(bds.get('edge-retail-007')?.status?.nonReadyStatus).toHaveLength(1);
  });

  it('a paused bundle stages a new version but releases nothing; unpausing proceeds', async () => {
    expect((await setOwnPaused(true)).status).toBe(200);
    const before = await deployments(OWN_NAME);
    await setOwnCommit('cccc0003');
    const id = await stagedFor('cccc0003');
    await sleep(2000);
    const paused = await deployments(OWN_NAME);
    for (const [c, bd] of paused) expect(bd.spec.deploymentID, c).toBe(before.get(c)!.spec.deploymentID);
    expect((await setOwnPaused(false)).status).toBe(200);
    await eventually('the canary to be released after unpausing', async () =>
      released((await deployments(OWN_NAME)).get('edge-retail-001'), id) ? true : undefined,
    );
    await eventually(
      'every cluster to apply it',
      async () => (applied(await deployments(OWN_NAME), id).length === 14 ? true : undefined),
      40_000,
    );
  });

  it('lets kube-apiserver refuse pausing a bundle to a Tenant Admin and a Viewer', async () => {
    for (const [user, group] of [
      ['client-a-admin@demo', 'tenant-client-a-admins'],
      ['viewer@demo', 'fleet-viewers'],
    ] as const) {
      const res = await hub().request('PATCH', SEEDED, {
        body: { spec: { paused: true } },
        contentType: 'application/merge-patch+json',
        headers: { 'Impersonate-User': user, 'Impersonate-Group': [group] },
      });
      expect(res.status, user).toBe(403);
    }
  });
});
