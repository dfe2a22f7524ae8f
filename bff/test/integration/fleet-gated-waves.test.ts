import { randomBytes } from 'node:crypto';

import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { createLogger } from '../../src/lib/logger.ts';
import type { Leadership } from '../../src/promotion/contracts.ts';
import { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';
import { fleetBundleRolloutSource } from '../../src/sources/rancher/bundles/fleet-bundle-source.ts';
import type { RunningServer } from '../../src/server.ts';
import type { ApprovalDecision, RolloutSource, SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { startTestbedBff } from '../helpers/demo-client.ts';
import { Person } from '../helpers/rollout-client.ts';
import { PERSONAS } from '../helpers/rollout-fixtures.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

// Gated waves on the real testbed hub: our own Fleet Clusters, GitRepo and Bundles (unique
// names), the testbed's Rancher Fleet stand-in deploying what Fleet would, and the source
// holding clusters as the leader with the BFF's own identity.
const NS = 'fleet-default';
const RUN = randomBytes(3).toString('hex');
const F = `/apis/fleet.cattle.io/v1alpha1/namespaces/${NS}`;
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const platformAdmin = { principal: { user: 'platform-admin@test', groups: ['fleet-platform-admins'] }, requestId: 'r-gate' };
const viewer = { principal: { user: 'viewer@test', groups: ['fleet-viewers'] }, requestId: 'r-viewer' };
const leader: Leadership = {
  identity: 'test-leader',
  isLeader: () => true,
  onChange: () => () => undefined,
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};
let source: RolloutSource;
const soakReleases: { id: string; wave: string }[] = [];
const created: string[] = [];

const name = (s: string) => `gate-${RUN}-${s}`;
const idOf = (bundle: string) => `rancher-fleet~${NS}~${bundle}`;

interface ClusterDoc {
  metadata: { annotations?: Record<string, string> };
  spec?: { paused?: boolean };
}
interface BdDoc {
  spec: { deploymentID?: string; stagedDeploymentID?: string };
  status?: { appliedDeploymentID?: string };
}

const eventually = eventuallyWithin({ timeoutMs: 40_000, everyMs: 150 });
const when = (id: string, test: (r: SourceRollout) => boolean) => () => {
  const r = source.get(id);
  return r && test(r) ? r : undefined;
};
const waveOf = (r: SourceRollout, w: string) => r.waves.find((x) => x.name === w)!;
const hubCluster = (c: string) => admin.expectOk<ClusterDoc>('GET', `${F}/clusters/${c}`);
const deploymentOn = (c: string, bundle: string) =>
  admin.expectOk<BdDoc>('GET', `/apis/fleet.cattle.io/v1alpha1/namespaces/cluster-${NS}-${c}/bundledeployments/${bundle}`);
const applied = async (c: string, bundle: string) => {
  const bd = await deploymentOn(c, bundle).catch(() => undefined);
  return bd?.status?.appliedDeploymentID !== undefined && bd.status.appliedDeploymentID === bd.spec.stagedDeploymentID ? bd : undefined;
};

/** A decision recording this person's approval; one approval releases. */
function recordingApproval(user: string, comment: string): ApprovalDecision {
  return {
    comment,
    plan: (recorded) =>
      recorded.some((a) => a.user === user)
        ? { record: undefined, final: false, result: { outcome: 'no-op', code: 'alreadyCounted', message: 'already counted' } }
        : {
            record: { user, at: new Date().toISOString(), comment, groups: ['fleet-platform-admins'] },
            final: true,
            result: { outcome: 'done', code: 'approved', message: 'approved' },
          },
  };
}

async function create(path: string, body: Record<string, unknown>): Promise<void> {
  await admin.expectOk('POST', path, { body });
  created.push(`${path}/${(body.metadata as { name: string }).name}`);
}

async function fleetCluster(c: string, wave: string, set: string): Promise<void> {
  await admin.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `cluster-${NS}-${c}` } },
  });
  await create(`${F}/clusters`, {
    apiVersion: 'fleet.cattle.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: c, namespace: NS, labels: { 'gate-set': set, 'gate-wave': wave } },
    spec: {},
  });
}

async function gatedBundle(bundle: string, clusterSet: string, annotations: Record<string, string>, repo?: string): Promise<void> {
  const wave = (w: string) => ({
    name: w,
    maxUnavailable: '100%',
    clusterSelector: { matchLabels: { 'gate-set': clusterSet, 'gate-wave': w } },
  });
  await create(`${F}/bundles`, {
    apiVersion: 'fleet.cattle.io/v1alpha1',
    kind: 'Bundle',
    metadata: { name: bundle, namespace: NS, annotations, ...(repo && { labels: { 'fleet.cattle.io/repo-name': repo } }) },
    spec: {
      targets: [{ clusterSelector: { matchLabels: { 'gate-set': clusterSet } } }],
      rolloutStrategy: { maxUnavailable: '100%', partitions: [wave('one'), wave('two'), wave('three')] },
      resources: [{ name: `${bundle}.yaml`, content: `# ${bundle}\n` }],
    },
  });
}

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  source = fleetBundleRolloutSource(kc, new ImpersonatingClient(kc), {
    logger: createLogger('silent'),
    leadership: leader,
    onSoakRelease: (r, wave) => soakReleases.push({ id: r.id, wave }),
  });
  await source.start();
});
afterAll(async () => {
  await source?.stop();
  for (const path of created.reverse()) await admin.request('DELETE', path);
});

describe('gated Fleet waves on the testbed hub', () => {
  it('holds the next wave with Cluster.spec.paused until a platform admin approves it, then releases it', async () => {
    const [a, b, c] = [name('a'), name('b'), name('c')];
    const repo = name('repo');
    const bundle = name('app');
    const other = name('other');
    for (const [cl, w] of [
      [a, 'one'],
      [b, 'two'],
      [c, 'three'],
    ] as const) {
      await fleetCluster(cl, w, `${RUN}-g`);
    }
    await create(`${F}/gitrepos`, {
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'GitRepo',
      metadata: { name: repo, namespace: NS },
      spec: { repo: 'https://git.invalid/gate.git', branch: 'main' },
    });
    await admin.expectOk('PATCH', `${F}/gitrepos/${repo}/status`, {
      body: { status: { commit: 'c1' } },
      contentType: 'application/merge-patch+json',
    });
    await gatedBundle(bundle, `${RUN}-g`, { 'fleetdeck.dev/gated-waves': 'true' }, repo);
    // A bundle that is not gated, on the third wave's cluster: held too while that cluster is.
    await create(`${F}/bundles`, {
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'Bundle',
      metadata: { name: other, namespace: NS },
      spec: { targets: [{ clusterName: c }], resources: [{ name: 'x.yaml', content: '# other\n' }] },
    });

    const waiting = await eventually(
      'wave one deployed and wave two awaiting approval',
      when(idOf(bundle), (r) => waveOf(r, 'one').state === 'Succeeded' && waveOf(r, 'two').state === 'AwaitingApproval'),
    );
    expect(waiting.state).toBe('AwaitingApproval');
    expect(waiting.awaitingApproval).toEqual({ wave: 'two', position: 'before' });
    expect(waveOf(waiting, 'two').gates).toMatchObject([{ kind: 'Approval', position: 'before', state: 'Waiting' }]);
    expect(waveOf(waiting, 'three').state).toBe('Held');
    const heldThree = await eventually(
      'the other bundle to be seen on the third wave',
      when(idOf(bundle), (r) => (waveOf(r, 'three').held?.otherBundles.length ? true : false)),
    );
    expect(waveOf(heldThree, 'three').held).toEqual({
      clusters: 1,
      otherBundles: [other],
      note: 'A paused cluster holds every bundle on it and stops its drift correction',
    });
    // On the hub: the clusters of waves two and three are paused by Fleetdeck, the first one is not.
    for (const cl of [b, c]) {
      const doc = await eventually('the cluster to be paused', async () =>
        (await hubCluster(cl)).spec?.paused ? hubCluster(cl) : undefined,
      );
      expect(doc.metadata.annotations?.['fleetdeck.dev/held-by']).toBe(`${NS}/${bundle}`);
    }
    expect((await hubCluster(a)).spec?.paused).not.toBe(true);
    // The stand-in deploys nothing on a paused cluster (given time to, had it not been paused).
    await new Promise((r) => setTimeout(r, (env.fleetController.secondsPerCluster + 1) * 1000));
    expect(await applied(b, bundle)).toBeUndefined();
    expect(await applied(c, other)).toBeUndefined();

    // A viewer cannot record an approval: the hub's RBAC refuses the impersonated write.
    await expect(source.actions.approve(viewer, waiting, 'two', recordingApproval('viewer@test', 'no'))).rejects.toMatchObject({
      status: 403,
    });
    expect((await hubCluster(b)).spec?.paused).toBe(true);

    const result = await source.actions.approve(platformAdmin, waiting, 'two', recordingApproval('platform-admin@test', 'canary is fine'));
    expect(result).toMatchObject({ outcome: 'done', code: 'approved' });
    const repoDoc = await admin.expectOk<{ metadata: { annotations: Record<string, string> } }>('GET', `${F}/gitrepos/${repo}`);
    const key = Object.keys(repoDoc.metadata.annotations).find((k) => k.startsWith('fleetdeck.dev/approvals.'))!;
    expect(JSON.parse(repoDoc.metadata.annotations[key]!)).toMatchObject({
      revision: 'c1',
      waves: { two: { approvals: [{ user: 'platform-admin@test', comment: 'canary is fine' }], releasedBy: 'platform-admin@test' } },
    });
    // Released as the person: wave two's cluster is unpaused and the stand-in deploys there; wave three stays held.
    expect((await hubCluster(b)).spec?.paused).toBe(false);
    await eventually('the stand-in to deploy on the released cluster', () => applied(b, bundle));
    const after = await eventually(
      'wave two to finish',
      when(idOf(bundle), (r) => waveOf(r, 'two').state === 'Succeeded'),
    );
    expect(waveOf(after, 'two').gates[0]).toMatchObject({ state: 'Approved', approvedBy: 'platform-admin@test' });
    expect(waveOf(after, 'three').state).toBe('AwaitingApproval');
    expect((await hubCluster(c)).spec?.paused).toBe(true);
    expect(await applied(c, bundle)).toBeUndefined();
    // Approving again is a no-op.
    const again = await source.actions.approve(platformAdmin, after, 'two', recordingApproval('platform-admin@test', 'again'));
    expect(again).toMatchObject({ outcome: 'no-op', code: 'alreadyApproved' });
    // Done at this commit, wave two's cluster is held again for the next commit.
    await eventually('the released cluster to be held for the next version', async () =>
      (await hubCluster(b)).spec?.paused ? true : undefined,
    );

    // A new commit: the earlier approval does not count; wave two is held again until approved.
    await admin.expectOk('PATCH', `${F}/gitrepos/${repo}/status`, {
      body: { status: { commit: 'c2' } },
      contentType: 'application/merge-patch+json',
    });
    const next = await eventually(
      'the new commit to wait at wave two',
      when(
        idOf(bundle),
        (r) => r.revision === 'c2' && waveOf(r, 'one').state === 'Succeeded' && waveOf(r, 'two').state === 'AwaitingApproval',
      ),
    );
    expect(next.recordedApprovals ?? {}).toEqual({});
    await new Promise((r) => setTimeout(r, (env.fleetController.secondsPerCluster + 1) * 1000));
    const bd = await deploymentOn(b, bundle);
    expect(bd.spec.stagedDeploymentID).not.toBe(bd.status?.appliedDeploymentID);
  });

  it('with soak time, releases the next wave by timer once the previous one is healthy (audited once)', async () => {
    const [d, e, f] = [name('d'), name('e'), name('f')];
    const bundle = name('soak');
    for (const [cl, w] of [
      [d, 'one'],
      [e, 'two'],
      [f, 'three'],
    ] as const) {
      await fleetCluster(cl, w, `${RUN}-s`);
    }
    await gatedBundle(bundle, `${RUN}-s`, { 'fleetdeck.dev/gated-waves': 'true', 'fleetdeck.dev/soak': '3s' });
    const counting = await eventually(
      'the soak countdown of wave two',
      when(idOf(bundle), (r) => waveOf(r, 'two').gates.some((g) => g.kind === 'TimedWait' && g.state === 'Waiting')),
    );
    const timed = waveOf(counting, 'two').gates.find((g) => g.kind === 'TimedWait')!;
    expect(Date.parse(timed.elapsesAt!) - Date.parse(timed.waitingSince!)).toBe(3000);
    expect((await hubCluster(e)).spec?.paused).toBe(true);
    // No person approves: the leader releases wave two when the soak elapses, and the stand-in deploys there.
    await eventually('the soak to release wave two', () => applied(e, bundle));
    expect(soakReleases.filter((s) => s.id === idOf(bundle) && s.wave === 'two')).toHaveLength(1);
    const released = source.get(idOf(bundle))!;
    expect(waveOf(released, 'two').gates).toMatchObject([
      { kind: 'Approval', state: 'Approved', approvedBy: 'fleetdeck (soak time)' },
      { kind: 'TimedWait', state: 'Elapsed' },
    ]);
    // Wave three follows once wave two has been healthy for the soak time; each release is audited once.
    await eventually('the soak to release wave three', () => applied(f, bundle));
    await new Promise((r) => setTimeout(r, 1000));
    expect(soakReleases.filter((s) => s.id === idOf(bundle)).map((s) => s.wave)).toEqual(['two', 'three']);
  });

  it('a bundle that does not opt in still has no approval gates (409)', async () => {
    const bundle = name('plain');
    await fleetCluster(name('g'), 'one', `${RUN}-p`);
    await gatedBundle(bundle, `${RUN}-p`, {});
    const r = await eventually(
      'the plain bundle',
      when(idOf(bundle), () => true),
    );
    expect(r.waves.every((w) => w.gates.length === 0 && !w.held)).toBe(true);
    await expect(source.actions.approve(platformAdmin, r, 'two', recordingApproval('platform-admin@test', 'x'))).rejects.toMatchObject({
      status: 409,
    });
    expect((await hubCluster(name('g'))).spec?.paused).not.toBe(true);
  });
});

describe('gated Fleet waves through the approve route (real mode BFF)', () => {
  let bff: RunningServer;
  let adminPerson: Person;
  let fleetViewer: Person;
  beforeAll(async () => {
    bff = await startTestbedBff(env, { inventory: { sources: ['rancher-fleet'], hubKubeconfig: env.hub.bffKubeconfig } });
    const origin = new URL(bff.services.config.auth.oidc!.redirectUrl).origin;
    adminPerson = await Person.signIn(bff.url, PERSONAS.platformAdmin, { origin });
    fleetViewer = await Person.signIn(bff.url, PERSONAS.fleetViewer, { origin });
  });
  afterAll(async () => {
    await bff?.close();
  });

  it('a Platform Admin approves a held wave through the route: its cluster is unpaused on the hub and the stand-in deploys there', async () => {
    const [h, i, j] = [name('h'), name('i'), name('j')];
    const bundle = name('route');
    for (const [cl, w] of [
      [h, 'one'],
      [i, 'two'],
      [j, 'three'],
    ] as const) {
      await fleetCluster(cl, w, `${RUN}-r`);
    }
    await gatedBundle(bundle, `${RUN}-r`, { 'fleetdeck.dev/gated-waves': 'true' });
    const path = `/api/rollouts/${idOf(bundle)}`;
    await eventually('wave two awaiting approval in the BFF', async () => {
      const res = await adminPerson.get(path);
      if (res.status !== 200) return undefined;
      const r = (await res.json()) as { waves: { name: string; state: string }[] };
      return r.waves.find((w) => w.name === 'two')?.state === 'AwaitingApproval' ? true : undefined;
    });
    await eventually('wave two held on the hub', async () => ((await hubCluster(i)).spec?.paused ? true : undefined));
    const body = { comment: 'route approval', notReadyReason: 'testbed: readiness is not measured for these clusters' };
    expect((await fleetViewer.post(`${path}/waves/two/approve`, body)).status).toBe(403);
    expect((await hubCluster(i)).spec?.paused).toBe(true);
    const res = await adminPerson.post(`${path}/waves/two/approve`, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'done' });
    expect((await hubCluster(i)).spec?.paused).toBe(false);
    await eventually('the stand-in to deploy on the released cluster', () => applied(i, bundle));
    expect((await hubCluster(j)).spec?.paused).toBe(true);
  });
});
