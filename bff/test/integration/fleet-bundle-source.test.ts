import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { createLogger } from '../../src/lib/logger.ts';
import { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';
import { fleetBundleRolloutSource } from '../../src/sources/rancher/bundles/fleet-bundle-source.ts';
import { RolloutActionError, type RolloutSource, type SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { singleApproval } from '../helpers/approval-decision.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

// Names seeded by testbed/src/controller/seed-rollouts.ts (SEEDED); the Rancher Fleet
// stand-in releases BundleDeployments partition by partition.
const NS = 'fleet-default';
const GIT_REPO = 'cve-2024-critical';
const BUNDLE = 'cve-2024-critical-patch';
const HELD_BUNDLE = 'security-patch-cve-2026-1234';
const HELD_FAILING = ['edge-retail-007', 'edge-retail-011'];
const ID = `rancher-fleet~${NS}~${BUNDLE}`;
const HELD_ID = `rancher-fleet~${NS}~${HELD_BUNDLE}`;

const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const platformAdmin = { principal: { user: 'platform-admin@test', groups: ['fleet-platform-admins'] }, requestId: 'r-admin' };
const viewer = { principal: { user: 'viewer@test', groups: ['fleet-viewers'] }, requestId: 'r-viewer' };
const repoPath = `/apis/fleet.cattle.io/v1alpha1/namespaces/${NS}/gitrepos/${GIT_REPO}`;
let source: RolloutSource;

const eventually = eventuallyWithin({ timeoutMs: 30_000, everyMs: 100 });
const when = (id: string, test: (r: SourceRollout) => boolean) => () => {
  const r = source.get(id);
  return r && test(r) ? r : undefined;
};
const waveOf = (r: SourceRollout, name: string) => r.waves.find((w) => w.name === name)!;
const states = (r: SourceRollout) => Object.fromEntries(r.waves.map((w) => [w.name, w.state]));

/** A new commit on the GitRepo, as its git job would record it: the stand-in restages the bundle. */
async function pushCommit(commit: string): Promise<void> {
  await admin.expectOk('PATCH', `${repoPath}/status`, { body: { status: { commit } }, contentType: 'application/merge-patch+json' });
}

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  source = fleetBundleRolloutSource(kc, new ImpersonatingClient(kc), { logger: createLogger('silent') });
  await source.start();
});
afterAll(async () => {
  await source?.stop();
});

describe('Rancher Fleet bundle rollout source against the testbed hub', () => {
  it('maps the seeded bundle into waves with the right clusters, and it completes', async () => {
    const r = await eventually(
      'the seeded bundle to finish',
      when(ID, (x) => x.state === 'Succeeded'),
    );
    expect(source.errors()).toEqual([]);
    expect(r).toMatchObject({ source: 'rancher-fleet', target: BUNDLE, namespace: NS, object: { kind: 'Bundle', name: BUNDLE } });
    const repo = await admin.expectOk<{ status: { commit: string } }>('GET', repoPath);
    expect(r.revision).toBe(repo.status.commit);
    expect(r.waves.map((w) => [w.name, w.clusters.map((c) => c.cluster)])).toEqual([
      ['canary', ['edge-retail-001']],
      ['edge', Array.from({ length: 11 }, (_, i) => `edge-retail-${String(i + 2).padStart(3, '0')}`)],
      ['production', ['prod-us-east', 'prod-us-west']],
    ]);
    expect(r.waves.map((w) => w.maxUnavailable)).toEqual([1, 2, 1]);
    expect(r.touches).toHaveLength(14);
    expect(r.policy).toMatchObject({ maxUnavailable: '25%', maxUnavailablePartitions: 0 });
  });

  it('a partition over its unavailable limit holds the next and fails the rollout', async () => {
    const r = await eventually(
      'the held bundle to fail',
      when(HELD_ID, (x) => x.state === 'Failed'),
    );
    const edge = waveOf(r, 'edge');
    expect(edge).toMatchObject({ state: 'Failed', maxUnavailable: 1 });
    expect(edge.clusters.filter((c) => c.state === 'Failed').map((c) => c.cluster)).toEqual(HELD_FAILING);
    expect(edge.clusters.find((c) => c.cluster === HELD_FAILING[0])?.message).toMatch(/the testbed seeded this cluster to fail/);
    expect(waveOf(r, 'production').state).toBe('Held');
    expect(waveOf(r, 'production').message).toMatch(
      /^partition edge has \d+ clusters not yet updated or not ready, over its limit of 1: holds this one$/,
    );
    expect(waveOf(r, 'production').clusters.every((c) => c.state === 'Held' || c.state === 'Pending')).toBe(true);
    // Without a GitRepo there is nothing to pin.
    expect(r.rollback).toBeUndefined();
  });

  let midFlight: SourceRollout | undefined;

  it('pause as a Platform Admin holds a new commit; resume lets it advance partition by partition', async () => {
    const before = await eventually(
      'the seeded bundle to finish',
      when(ID, (x) => x.state === 'Succeeded'),
    );
    const oldCommit = before.revision!;
    const paused = await source.actions.pause(platformAdmin, before, undefined);
    expect(paused).toMatchObject({ outcome: 'done', code: 'paused' });
    expect(await source.actions.pause(platformAdmin, before, undefined)).toMatchObject({ outcome: 'no-op', code: 'alreadyPaused' });
    await eventually(
      'the pause to be seen',
      when(ID, (x) => x.state === 'Stopped'),
    );

    const newCommit = `c0ffee${Date.now().toString(16)}`;
    await pushCommit(newCommit);
    // Staged on every cluster, applied on none while paused.
    midFlight = await eventually(
      'the new commit to be staged and held',
      when(ID, (x) => x.revision === newCommit && x.waves.every((w) => w.clusters.every((c) => c.state === 'Held'))),
    );
    await new Promise((r) => setTimeout(r, Math.max(2000, env.fleetController.secondsPerCluster * 4000)));
    const still = source.get(ID)!;
    expect(still.state).toBe('Stopped');
    expect(still.waves.flatMap((w) => w.clusters).every((c) => c.state === 'Held')).toBe(true);
    expect(midFlight.rollback).toMatchObject({ toRevision: oldCommit, fromRevision: newCommit });
    expect(midFlight.rollback!.note).toBe(
      `Pins GitRepo ${GIT_REPO} to ${oldCommit} (clears branch main; new pushes are not deployed until you unpin)`,
    );

    const seen: Record<string, string>[] = [];
    const off = source.onChange((id) => id === ID && seen.push(states(source.get(id)!)));
    expect(await source.actions.resume(platformAdmin, still)).toMatchObject({ outcome: 'done', code: 'resumed' });
    const done = await eventually(
      'the new commit to be everywhere',
      when(ID, (x) => x.state === 'Succeeded' && x.revision === newCommit),
    );
    off();
    expect(done.waves.flatMap((w) => w.clusters).every((c) => c.state === 'Succeeded')).toBe(true);
    // In order: production waited while the edge (11 clusters, at most 2 not up to date) was over its limit.
    // The canary may have one cluster down, so the edge can start in the canary's own pass.
    expect(seen.some((s) => s.edge !== 'Succeeded' && s.production === 'Held')).toBe(true);
    const firstDone = (w: string) => seen.findIndex((s) => s[w] === 'Succeeded');
    expect(firstDone('canary')).toBeGreaterThanOrEqual(0);
    expect(firstDone('edge')).toBeLessThanOrEqual(firstDone('production'));
    expect(await source.actions.resume(platformAdmin, done)).toMatchObject({ outcome: 'no-op', code: 'notPaused' });
  });

  it('pause as a Viewer is refused by the API server (403), and nothing changes', async () => {
    const r = source.get(ID)!;
    const err = await source.actions.pause(viewer, r, undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutActionError);
    expect((err as RolloutActionError).status).toBe(403);
    const bundle = await admin.expectOk<{ spec: { paused?: boolean } }>(
      'GET',
      `/apis/fleet.cattle.io/v1alpha1/namespaces/${NS}/bundles/${BUNDLE}`,
    );
    expect(bundle.spec.paused ?? false).toBe(false);
  });

  it('has no approval gates and no abort (409)', async () => {
    const r = source.get(ID)!;
    await expect(source.actions.approve(platformAdmin, r, 'canary', singleApproval())).rejects.toMatchObject({ status: 409 });
    await expect(source.actions.abort(platformAdmin, r)).rejects.toMatchObject({ status: 409 });
  });

  it('roll back pins the GitRepo (branch cleared, revision set, branch kept); unpin restores it', async () => {
    const plan = midFlight!.rollback!;
    type Repo = { metadata: { annotations?: Record<string, string> }; spec: { branch?: string; revision?: string } };
    const refused = await source.actions.rollback(viewer, midFlight!).catch((e: unknown) => e);
    expect((refused as RolloutActionError).status).toBe(403);

    expect(await source.actions.rollback(platformAdmin, midFlight!)).toMatchObject({ outcome: 'done', code: 'pinned' });
    const pinned = await admin.expectOk<Repo>('GET', repoPath);
    expect(pinned.spec.branch).toBeUndefined();
    expect(pinned.spec.revision).toBe(plan.toRevision);
    expect(pinned.metadata.annotations?.['fleetdeck.dev/pinned-from-branch']).toBe('main');
    const shown = await eventually(
      'the pin to be seen',
      when(ID, (x) => x.pinned !== undefined),
    );
    expect(shown.pinned).toEqual({ revision: plan.toRevision, branch: 'main' });
    expect(shown.rollback).toBeUndefined();
    expect(await source.actions.rollback(platformAdmin, midFlight!)).toMatchObject({ outcome: 'no-op', code: 'alreadyPinned' });

    expect(await source.actions.unpin(platformAdmin, shown)).toMatchObject({ outcome: 'done', code: 'unpinned' });
    const back = await admin.expectOk<Repo>('GET', repoPath);
    expect(back.spec).toMatchObject({ branch: 'main' });
    expect(back.spec.revision).toBeUndefined();
    expect(back.metadata.annotations?.['fleetdeck.dev/pinned-from-branch']).toBeUndefined();
    await eventually(
      'the unpin to be seen',
      when(ID, (x) => x.pinned === undefined),
    );
    expect(await source.actions.unpin(platformAdmin, shown)).toMatchObject({ outcome: 'no-op', code: 'notPinned' });
  });

  it('reports a watch down without naming clusters, restarts it, and follows changes again', async () => {
    const seen: string[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        for (const e of source.errors()) seen.push(JSON.stringify(e));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const restart = await fetch(`${env.control.url}/restart/hub?downMs=1500`, { method: 'POST' });
    expect(restart.status).toBe(204);
    await eventually('a change made after the restart', async () => {
      await source.actions.pause(platformAdmin, source.get(ID)!, undefined).catch(() => undefined);
      return source.get(ID)?.state === 'Stopped' ? true : undefined;
    });
    polling = false;
    await poll;
    expect(seen.length).toBeGreaterThan(0);
    for (const e of new Set(seen)) {
      expect(JSON.parse(e)).toEqual({
        source: 'rancher-fleet',
        reason: expect.stringMatching(/^the \w+ watch is down; showing the last known state$/) as string,
      });
      expect(e).not.toMatch(/edge-retail|prod-us|127\.0\.0\.1|https?:/);
    }
    await eventually('the watch errors to clear', () => (source.errors().length === 0 ? true : undefined));
    expect(await source.actions.resume(platformAdmin, source.get(ID)!)).toMatchObject({ outcome: 'done', code: 'resumed' });
  });
});
