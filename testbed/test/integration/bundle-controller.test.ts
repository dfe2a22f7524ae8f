import { describe, expect, inject, it } from 'vitest';

import { kubeClient } from '../../src/kube/from-env.ts';
import '../../src/vitest-context.ts';

const env = inject('testbed');
const F = '/apis/fleet.cattle.io/v1alpha1';
const BUNDLE = `${F}/namespaces/fleet-default/bundles/cve-2024-critical-patch`;
const HELD = `${F}/namespaces/fleet-default/bundles/security-patch-cve-2026-1234`;
const REPO = `${F}/namespaces/fleet-default/gitrepos/cve-2024-critical`;

interface BundleDeployment {
  metadata: { name: string; labels: Record<string, string> };
  spec: { stagedDeploymentID?: string; deploymentID?: string };
  status?: { appliedDeploymentID?: string; ready?: boolean; display?: { state?: string }; nonReadyStatus?: unknown[] };
}
interface Bundle {
  spec: { paused?: boolean };
  status?: {
    summary?: { ready: number; desiredReady: number; errApplied: number };
    partitions?: { name: string; count: number; maxUnavailable: number; unavailable: number }[];
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

async function pushCommit(commit: string): Promise<void> {
  await admin().expectOk('PATCH', `${REPO}/status`, { body: { status: { commit } }, contentType: 'application/merge-patch+json' });
}
const setPaused = (paused: boolean) =>
  hub().request('PATCH', BUNDLE, { body: { spec: { paused } }, contentType: 'application/merge-patch+json', headers: PLATFORM });

/** The staged deployment id once every BundleDeployment carries the one for `commit`. */
const stagedFor = (commit: string) =>
  eventually(`deployments staged for ${commit}`, async () => {
    const bds = await deployments('cve-2024-critical-patch');
    const ids = new Set([...bds.values()].map((bd) => bd.spec.stagedDeploymentID));
    const [id] = ids;
    return ids.size === 1 && id?.startsWith(`s-${commit}:`) && bds.size === 14 ? id : undefined;
  });

describe('Rancher Fleet stand-in against the real hub', () => {
  it('stages a new commit on every deployment and releases it partition by partition: canary, edge, production', async () => {
    await pushCommit('1111111aaaaaaa');
    const id = await stagedFor('1111111aaaaaaa');
    const firstReleased = new Map<string, number>();
    const t0 = Date.now();
    await eventually(
      'every cluster to apply it',
      async () => {
        const bds = await deployments('cve-2024-critical-patch');
        for (const [c, bd] of bds) if (released(bd, id) && !firstReleased.has(c)) firstReleased.set(c, Date.now() - t0);
        return applied(bds, id).length === 14 ? true : undefined;
      },
      40_000,
    );
    const canary = firstReleased.get('edge-retail-001')!;
    const edge = [...firstReleased.entries()].filter(([c]) => c.startsWith('edge-retail-') && c !== 'edge-retail-001').map(([, t]) => t);
    const production = ['prod-us-east', 'prod-us-west'].map((c) => firstReleased.get(c)!);
    expect(edge).toHaveLength(11);
    expect(Math.min(...edge)).toBeGreaterThan(canary);
    expect(Math.min(...production)).toBeGreaterThanOrEqual(Math.min(...edge));
    const bundle = await eventually('the bundle summary', async () => {
      const b = await admin().expectOk<Bundle>('GET', BUNDLE);
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
    expect(bds.get('prod-us-east')?.metadata.labels['fleet.cattle.io/commit']).toBe('1111111aaaaaaa');
  });

  it('holds the production partition while edge is over its maxUnavailable (two failing clusters)', async () => {
    const held = await eventually('edge over its limit', async () => {
      const b = await admin().expectOk<Bundle>('GET', HELD);
      const edge = b.status?.partitions?.find((p) => p.name === 'edge');
      return edge && edge.unavailable === 2 && b.status?.summary?.errApplied === 2 ? b : undefined;
    });
    expect(held.status?.partitions?.find((p) => p.name === 'edge')).toMatchObject({ count: 11, maxUnavailable: 1, unavailable: 2 });
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

  it('a paused bundle stages a new commit but releases nothing; unpausing proceeds', async () => {
    expect((await setPaused(true)).status).toBe(200);
    const before = await deployments('cve-2024-critical-patch');
    await pushCommit('2222222bbbbbbb');
    const id = await stagedFor('2222222bbbbbbb');
    await sleep(2000);
    const paused = await deployments('cve-2024-critical-patch');
    for (const [c, bd] of paused) expect(bd.spec.deploymentID, c).toBe(before.get(c)!.spec.deploymentID);
    expect((await setPaused(false)).status).toBe(200);
    await eventually('the canary to be released after unpausing', async () =>
      released((await deployments('cve-2024-critical-patch')).get('edge-retail-001'), id) ? true : undefined,
    );
    await eventually(
      'every cluster to apply it',
      async () => (applied(await deployments('cve-2024-critical-patch'), id).length === 14 ? true : undefined),
      40_000,
    );
  });

  it('lets kube-apiserver refuse pausing a bundle to a Tenant Admin and a Viewer', async () => {
    for (const [user, group] of [
      ['client-a-admin@demo', 'tenant-client-a-admins'],
      ['viewer@demo', 'fleet-viewers'],
    ] as const) {
      const res = await hub().request('PATCH', BUNDLE, {
        body: { spec: { paused: true } },
        contentType: 'application/merge-patch+json',
        headers: { 'Impersonate-User': user, 'Impersonate-Group': [group] },
      });
      expect(res.status, user).toBe(403);
    }
  });
});
