import { randomBytes } from 'node:crypto';

import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { kubeClient } from '@fleetdeck/testbed/kube-client';

import { createLogger } from '../../src/lib/logger.ts';
import { DeliveryActionError, type DeliverySource, type SourceDelivery } from '../../src/sources/gitops/delivery-source.ts';
import { FORCE_UPDATE_CLICKS } from '../../src/sources/gitops/fleet/delivery-actions.ts';
import { fleetDeliverySource } from '../../src/sources/gitops/fleet/fleet-delivery-source.ts';
import { ImpersonatingClient } from '../../src/sources/kube/impersonating-client.ts';
import { eventuallyWithin } from '../helpers/eventually.ts';

// Fleet GitRepos as deliveries on the real testbed hub: our own namespace, Fleet Clusters,
// ClusterGroup, GitRepo and Bundle (unique names); the testbed's Rancher Fleet stand-in
// creates and advances the BundleDeployments as Fleet would. Two source instances stand
// for two BFF replicas receiving the same force-update click.
const RUN = randomBytes(3).toString('hex');
const NS = `fdl-${RUN}`;
const F = `/apis/fleet.cattle.io/v1alpha1/namespaces/${NS}`;
const env = inject('testbed');
const admin = kubeClient(env, env.hub, 'admin');
const platformAdmin = { principal: { user: 'platform-admin@test', groups: ['fleet-platform-admins'] }, requestId: 'r-admin' };
const viewer = { principal: { user: 'viewer@test', groups: ['fleet-viewers'] }, requestId: 'r-viewer' };
const REPO = `core-${RUN}`;
const BUNDLE = `core-${RUN}-app`;
const ID = `fleet:${NS}/${REPO}`;
const [PROD, STAGE, EDGE] = ['prod', 'stage', 'edge'].map((s) => `fdl-${RUN}-${s}`) as [string, string, string];
const TARGET = { name: 'mine', clusterSelector: { matchLabels: { 'fdl-run': RUN } } };
const repoPath = `${F}/gitrepos/${REPO}`;

interface RepoDoc {
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
  spec: { forceSyncGeneration?: number; paused?: boolean };
}

let a: DeliverySource;
let b: DeliverySource;
const namespaces: string[] = [];

const eventually = eventuallyWithin({ timeoutMs: 40_000, everyMs: 150 });
const when = (source: DeliverySource, test: (d: SourceDelivery) => boolean) => () => {
  const d = source.get(ID);
  return d && test(d) ? d : undefined;
};
const on = (d: SourceDelivery, cluster: string) => d.targets.find((t) => t.cluster === cluster);
const hubRepo = () => admin.expectOk<RepoDoc>('GET', repoPath);

async function namespace(name: string): Promise<void> {
  await admin.expectOk('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  namespaces.push(name);
}
async function fleetCluster(name: string, labels: Record<string, string>): Promise<void> {
  await namespace(`cluster-${NS}-${name}`);
  await admin.expectOk('POST', `${F}/clusters`, {
    body: {
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name, namespace: NS, labels: { 'fdl-run': RUN, ...labels } },
      spec: {},
    },
  });
}
const pushCommit = (commit: string) =>
  admin.expectOk('PATCH', `${repoPath}/status`, { body: { status: { commit } }, contentType: 'application/merge-patch+json' });

beforeAll(async () => {
  await namespace(NS);
  await fleetCluster(PROD, { env: 'production' });
  await fleetCluster(STAGE, { env: 'staging' });
  await fleetCluster(EDGE, { env: 'production', tier: 'edge' });
  await admin.expectOk('POST', `${F}/clustergroups`, {
    body: {
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'ClusterGroup',
      metadata: { name: 'edge', namespace: NS },
      spec: { selector: { matchLabels: { tier: 'edge' } } },
    },
  });
  await admin.expectOk('POST', `${F}/gitrepos`, {
    body: {
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'GitRepo',
      metadata: { name: REPO, namespace: NS, labels: { team: 'platform' } },
      spec: { repo: 'https://git.invalid/core-stack.git', branch: 'main', paths: ['app'], targets: [TARGET] },
    },
  });
  await pushCommit('c0ffee1');
  // As Fleet renders it: fleet.yaml's targetCustomizations first, then the GitRepo's targets (also the restrictions).
  await admin.expectOk('POST', `${F}/bundles`, {
    body: {
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'Bundle',
      metadata: {
        name: BUNDLE,
        namespace: NS,
        labels: { 'fleet.cattle.io/repo-name': REPO },
        annotations: { 'fleetdeck.dev/testbed-fail-clusters': STAGE },
      },
      spec: {
        targets: [
          { name: 'edge', clusterGroup: 'edge', helm: { values: { lightweight: true } } },
          { name: 'production', clusterSelector: { matchLabels: { env: 'production' } }, helm: { values: { replicas: 3 } } },
          TARGET,
        ],
        targetRestrictions: [TARGET],
        resources: [{ name: 'app.yaml', content: `# ${RUN}\n` }],
      },
    },
  });
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  a = fleetDeliverySource(kc, new ImpersonatingClient(kc), { logger: createLogger('silent') });
  b = fleetDeliverySource(kc, new ImpersonatingClient(kc), { logger: createLogger('silent') });
  await Promise.all([a.start(), b.start()]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  // The testbed runs no namespace controller: deleting a namespace leaves its objects behind
  // (other files count the hub's Fleet Clusters), so each kind is deleted explicitly first.
  for (const ns of namespaces) {
    for (const plural of ['bundledeployments', 'bundles', 'gitrepos', 'clustergroups', 'clusters'])
      await admin.request('DELETE', `/apis/fleet.cattle.io/v1alpha1/namespaces/${ns}/${plural}`);
  }
  for (const ns of namespaces.reverse()) await admin.request('DELETE', `/api/v1/namespaces/${ns}`);
});

describe('Fleet delivery source against the testbed hub', () => {
  it('maps the GitRepo: per-cluster state, applied commit, failing resources, customizations and placement', async () => {
    const d = await eventually(
      'every cluster deployed',
      when(
        a,
        (x) =>
          x.targets.length === 3 &&
          on(x, PROD)?.fleetState === 'Ready' &&
          on(x, STAGE)?.fleetState === 'ErrApplied' &&
          on(x, EDGE)?.fleetState === 'Ready',
      ),
    );
    expect(a.errors()).toEqual([]);
    expect(d).toMatchObject({
      engine: 'fleet',
      name: REPO,
      namespace: NS,
      repo: 'https://git.invalid/core-stack.git',
      branch: 'main',
      paths: ['app'],
      renderedCommit: 'c0ffee1',
      labels: { team: 'platform' },
      fleet: { gitJob: 'Current', bundles: 1 },
      object: { kind: 'GitRepo', name: REPO, namespace: NS },
    });
    expect(on(d, PROD)).toMatchObject({
      appliedCommit: 'c0ffee1',
      customization: 'production',
      options: ['helm.values.replicas: 3'],
      bundles: 1,
    });
    expect(on(d, PROD)!.lastSyncAt).toBeDefined();
    // The first matching customization wins: edge, though production matches the edge cluster too.
    expect(on(d, EDGE)).toMatchObject({ appliedCommit: 'c0ffee1', customization: 'edge', options: ['helm.values.lightweight: true'] });
    expect(on(d, STAGE)).toMatchObject({ status: { tone: 'error' }, resources: [{ kind: 'Deployment', name: BUNDLE, state: 'NotReady' }] });
    expect(on(d, STAGE)!.message).toMatch(/the testbed seeded this cluster to fail/);
    expect(d.placement!.targets).toEqual([{ name: 'mine', selector: `fdl-run=${RUN}`, clusters: [EDGE, PROD, STAGE].sort() }]);
    expect(d.placement!.customizations.map((c) => [c.name, c.selector, c.clusters])).toEqual([
      ['edge', 'group:edge', [EDGE]],
      ['production', 'env=production', [PROD]],
    ]);
  });

  it('shows drift: a modified and a missing resource reported by the agent', async () => {
    const bdPath = `/apis/fleet.cattle.io/v1alpha1/namespaces/cluster-${NS}-${PROD}/bundledeployments/${BUNDLE}`;
    const current = await admin.expectOk<{ status: Record<string, unknown> }>('GET', bdPath);
    await admin.expectOk('PUT', `${bdPath}/status`, {
      body: {
        ...current,
        status: {
          ...current.status,
          nonModified: false,
          display: { state: 'Modified' },
          modifiedStatus: [
            { kind: 'ConfigMap', namespace: 'web', name: 'settings', patch: '{"data":{"mode":"debug"}}' },
            { kind: 'Service', namespace: 'web', name: 'api', missing: true },
          ],
        },
      },
    });
    const d = await eventually(
      'the drift to be seen',
      when(a, (x) => on(x, PROD)?.fleetState === 'Modified'),
    );
    expect(on(d, PROD)!.resources).toEqual([
      { kind: 'ConfigMap', namespace: 'web', name: 'settings', state: 'Modified', message: '{"data":{"mode":"debug"}}' },
      { kind: 'Service', namespace: 'web', name: 'api', state: 'Missing', message: 'in git, not on the cluster' },
    ]);
  });

  it('a new commit: rendered at once, applied per cluster as the deployments apply it', async () => {
    const before = on(a.get(ID)!, EDGE)!;
    await pushCommit('c0ffee2');
    const rendered = await eventually(
      'the new commit rendered',
      when(a, (x) => x.renderedCommit === 'c0ffee2'),
    );
    expect(on(rendered, EDGE)!.appliedCommit).toBeDefined();
    const d = await eventually(
      'the new commit applied on the edge cluster',
      when(a, (x) => on(x, EDGE)?.appliedCommit === 'c0ffee2'),
    );
    expect(Date.parse(on(d, EDGE)!.lastSyncAt!)).toBeGreaterThan(Date.parse(before.lastSyncAt!));
  });

  it('force update: the same click received by two replicas at once adds one; two clicks add two', async () => {
    const d = await eventually('both replicas to know the GitRepo', () => (a.get(ID) && b.get(ID) ? a.get(ID) : undefined));
    const start = (await hubRepo()).spec.forceSyncGeneration ?? 0;
    const click = `click-${RUN}-1`;
    const results = await Promise.all([
      a.actions.forceUpdate!(platformAdmin, d, click),
      b.actions.forceUpdate!(platformAdmin, b.get(ID)!, click),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['done', 'no-op']);
    const once = await hubRepo();
    expect(once.spec.forceSyncGeneration).toBe((start || 1) + 1);
    expect(once.metadata.annotations?.[FORCE_UPDATE_CLICKS]?.split(',')).toContain(click);
    // Again later (a retried request): still once.
    expect(await a.actions.forceUpdate!(platformAdmin, d, click)).toMatchObject({ outcome: 'no-op' });

    const two = await Promise.all([
      a.actions.forceUpdate!(platformAdmin, d, `click-${RUN}-2`),
      b.actions.forceUpdate!(platformAdmin, d, `click-${RUN}-3`),
    ]);
    expect(two.map((r) => r.outcome)).toEqual(['done', 'done']);
    expect((await hubRepo()).spec.forceSyncGeneration).toBe((start || 1) + 3);
    await eventually(
      'the source to show the new generation',
      when(a, (x) => x.fleet?.forceSyncGeneration === (start || 1) + 3),
    );
  });

  it('pause holds every cluster; resume lets them go; each is a no-op when already so', async () => {
    const d = a.get(ID)!;
    expect(await a.actions.setPaused!(platformAdmin, d, true)).toMatchObject({ outcome: 'done' });
    expect((await hubRepo()).spec.paused).toBe(true);
    expect(await b.actions.setPaused!(platformAdmin, d, true)).toMatchObject({ outcome: 'no-op' });
    const paused = await eventually(
      'the pause to be seen',
      when(a, (x) => x.paused && x.targets.every((t) => t.paused)),
    );
    expect(on(paused, EDGE)!.status.tone).toBe('paused');
    expect(await a.actions.setPaused!(platformAdmin, d, false)).toMatchObject({ outcome: 'done' });
    expect((await hubRepo()).spec.paused).toBe(false);
    await eventually(
      'the resume to be seen',
      when(a, (x) => !x.paused && x.targets.every((t) => !t.paused)),
    );
    expect(await a.actions.setPaused!(platformAdmin, d, false)).toMatchObject({ outcome: 'no-op' });
  });

  it('a person without rights on GitRepos gets 403, and the GitRepo is unchanged on the hub', async () => {
    const before = await hubRepo();
    const d = a.get(ID)!;
    const err = await a.actions.forceUpdate!(viewer, d, `click-${RUN}-viewer`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryActionError);
    expect(err).toMatchObject({ status: 403, message: expect.stringMatching(/refused/) as unknown });
    await expect(a.actions.setPaused!(viewer, d, true)).rejects.toMatchObject({ status: 403 });
    const after = await hubRepo();
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.annotations?.[FORCE_UPDATE_CLICKS]).toBe(before.metadata.annotations?.[FORCE_UPDATE_CLICKS]);
  });

  it('a GitRepo deleted from the hub is gone from the source, with a change for its id', async () => {
    const seen: string[] = [];
    const off = a.onChange((ids) => seen.push(...ids));
    await admin.expectOk('DELETE', repoPath);
    await eventually('the deletion to be seen', () => (a.get(ID) === undefined ? true : undefined));
    off();
    expect(seen).toContain(ID);
  });
});
