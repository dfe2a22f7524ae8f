import { describe, expect, it } from 'vitest';

import { Rollout } from '@fleetdeck/shared';

import { mapBundle, type BundleInputs } from '../../src/sources/rancher/bundles/map-bundle.ts';
import {
  bundleDeploymentView,
  bundleView,
  clusterGroupView,
  fleetClusterView,
  gitRepoView,
} from '../../src/sources/rancher/bundles/reduce-objects.ts';
import type { SourceRollout } from '../../src/sources/rollouts/rollout-source.ts';
import { bundle, CLUSTERS, deployment, EDGE_GROUP, fleetCluster, gitRepo, type Phase } from './fleet-bundle-fixtures.ts';

type Over = Parameters<typeof bundle>[0];

function map(phases: Record<string, Phase>, over: Over = {}, rest: Partial<BundleInputs> = {}): SourceRollout {
  return mapBundle({
    bundle: bundleView(bundle(over))!,
    deployments: Object.entries(phases).map(([c, p]) => bundleDeploymentView(deployment(c, p))!),
    gitRepo: gitRepoView(gitRepo()),
    clusters: CLUSTERS.map((c) => fleetClusterView(c)!),
    groups: [clusterGroupView(EDGE_GROUP)!],
    ...rest,
  });
}
const wave = (r: SourceRollout, name: string) => r.waves.find((w) => w.name === name)!;
const stateOf = (r: SourceRollout, cluster: string) => r.waves.flatMap((w) => w.clusters).find((c) => c.cluster === cluster)?.state;
/** The rollout is a valid neutral-model rollout once the routes add the per-person fields. */
const allowed = { allowed: true };
const actions = { approve: allowed, pause: allowed, resume: allowed, abort: allowed, rollback: allowed, reject: allowed, unpin: allowed };
const valid = (r: SourceRollout) =>
  expect(() => Rollout.parse({ ...r, actions, approveWaves: {}, redacted: false, hiddenClusters: 0 })).not.toThrow();

const ALL_DONE: Record<string, Phase> = {
  'canary-1': 'done',
  'edge-1': 'done',
  'edge-2': 'done',
  'edge-3': 'done',
  'prod-1': 'done',
  'prod-2': 'done',
};

describe('mapBundle: a Fleet bundle as a rollout', () => {
  it('maps partitions to waves in order, with clusters chosen by selector and ClusterGroup (first match wins)', () => {
    const r = map(ALL_DONE);
    valid(r);
    expect(r).toMatchObject({
      id: 'rancher-fleet~fleet-default~cve-patch',
      source: 'rancher-fleet',
      target: 'cve-patch',
      revision: 'c2',
      state: 'Succeeded',
      object: { apiVersion: 'fleet.cattle.io/v1alpha1', kind: 'Bundle', name: 'cve-patch', namespace: 'fleet-default', uid: 'u-1' },
      touches: ['canary-1', 'edge-1', 'edge-2', 'edge-3', 'prod-1', 'prod-2'],
      progress: { total: 6, succeeded: 6, failed: 0, updating: 0 },
      history: [],
    });
    expect(r.waves.map((w) => [w.name, w.clusters.map((c) => c.cluster)])).toEqual([
      ['canary', ['canary-1']],
      ['edge', ['edge-1', 'edge-2', 'edge-3']],
      ['production', ['prod-1', 'prod-2']],
    ]);
    expect(r.waves.every((w) => w.gates.length === 0 && w.state === 'Succeeded')).toBe(true);
    expect(r.tenant).toBeUndefined();
  });

  it("keeps Fleet's maxUnavailable per partition (the partition's, else the bundle's) and counts unavailable clusters", () => {
    const r = map({ ...ALL_DONE, 'edge-1': 'applying', 'edge-2': 'held' });
    expect(wave(r, 'canary')).toMatchObject({ maxUnavailable: 0, unavailable: 0 });
    expect(wave(r, 'edge')).toMatchObject({ maxUnavailable: 1, unavailable: 2 });
    // 100% of two clusters.
    expect(wave(r, 'production')).toMatchObject({ maxUnavailable: 2, unavailable: 0 });
    expect(r.policy).toEqual({
      maxUnavailable: '100%',
      maxUnavailablePartitions: 0,
      sourceFields: {
        maxUnavailable: 'spec.rolloutStrategy.maxUnavailable',
        maxUnavailablePartitions: 'spec.rolloutStrategy.maxUnavailablePartitions (unset: Fleet default 0)',
      },
    });
  });

  it('judges each cluster: held, updating (not applied, or applied but not ready), succeeded, failed, pending', () => {
    const r = map({
      'canary-1': 'done',
      'edge-1': 'applying',
      'edge-2': 'notReady',
      'edge-3': 'failed',
      'prod-1': 'held',
      'prod-2': 'new',
    });
    expect(['canary-1', 'edge-1', 'edge-2', 'edge-3', 'prod-1', 'prod-2'].map((c) => stateOf(r, c))).toEqual([
      'Succeeded',
      'Updating',
      'Updating',
      'Failed',
      'Held',
      'Pending',
    ]);
    const clusters = r.waves.flatMap((w) => w.clusters);
    expect(clusters.find((c) => c.cluster === 'edge-3')?.message).toBe('deployment apps/web: ImagePullBackOff');
    expect(clusters.find((c) => c.cluster === 'edge-2')?.message).toBe('deployment apps/web: 0/2 replicas ready');
    expect(clusters.find((c) => c.cluster === 'prod-1')?.message).toBe('held back by its partition');
    expect(r.progress).toEqual({ total: 6, succeeded: 1, failed: 1, updating: 2 });
  });

  it('a partition over its unavailable limit holds the next one', () => {
    const r = map({ 'canary-1': 'done', 'edge-1': 'done', 'edge-2': 'applying', 'edge-3': 'held', 'prod-1': 'held', 'prod-2': 'held' });
    expect(wave(r, 'edge')).toMatchObject({
      state: 'Progressing',
      message: 'over its unavailable limit (2 > 1): holds the next partition',
    });
    expect(wave(r, 'production')).toMatchObject({
      state: 'Held',
      message: 'partition edge has 2 clusters not yet updated or not ready, over its limit of 1: holds this one',
    });
    expect(r).toMatchObject({ state: 'Progressing', currentWave: 'edge' });
  });

  it('failures beyond the limit fail the partition and the rollout, which it holds', () => {
    const r = map({ 'canary-1': 'done', 'edge-1': 'failed', 'edge-2': 'failed', 'edge-3': 'done', 'prod-1': 'held', 'prod-2': 'held' });
    expect(wave(r, 'edge')).toMatchObject({ state: 'Failed', message: 'over its unavailable limit (2 > 1): 2 failed' });
    expect(wave(r, 'production').state).toBe('Held');
    expect(r).toMatchObject({ state: 'Failed', message: 'Partition edge is over its unavailable limit (2 > 1) and holds the rest.' });
  });

  it('within its limit a failure does not hold the next partition', () => {
    const r = map({ 'canary-1': 'done', 'edge-1': 'failed', 'edge-2': 'done', 'edge-3': 'done', 'prod-1': 'applying', 'prod-2': 'done' });
    expect(wave(r, 'edge').state).toBe('Progressing');
    expect(wave(r, 'production').state).toBe('Progressing');
    expect(r.state).toBe('Progressing');
  });

  it('maxUnavailablePartitions lets that many unavailable partitions pass before the rest are held', () => {
    const phases: Record<string, Phase> = {
      'canary-1': 'applying',
      'edge-1': 'applying',
      'edge-2': 'applying',
      'edge-3': 'held',
      'prod-1': 'held',
      'prod-2': 'held',
    };
    const spec = bundle().spec!;
    const strategy = { ...spec.rolloutStrategy!, maxUnavailablePartitions: 1 };
    const r = map(phases, { spec: { rolloutStrategy: strategy } });
    expect(wave(r, 'edge').state).toBe('Progressing');
    expect(wave(r, 'production')).toMatchObject({
      state: 'Held',
      message: 'partition edge has 3 clusters not yet updated or not ready, over its limit of 1: holds this one',
    });
    expect(r.policy.maxUnavailablePartitions).toBe(1);
    // With the default 0 the canary alone holds everything after it.
    expect(wave(map(phases), 'edge').message).toBe(
      'partition canary has 1 clusters not yet updated or not ready, over its limit of 0: holds this one',
    );
  });

  it('takes partition figures and non-ready members from the bundle status when Fleet reports them', () => {
    const status = {
      maxUnavailablePartitions: 0,
      partitions: [
        { name: 'canary', count: 1, maxUnavailable: 1, unavailable: 0 },
        { name: 'edge', count: 3, maxUnavailable: 1, unavailable: 2, summary: { nonReadyResources: [{ name: 'fleet-default/prod-1' }] } },
        { name: 'production', count: 1, maxUnavailable: 1, unavailable: 0 },
      ],
    };
    const r = map({ ...ALL_DONE, 'prod-1': 'notReady' }, { status });
    // prod-1 matches "production" by selector, but Fleet says it is in "edge".
    expect(wave(r, 'edge').clusters.map((c) => c.cluster)).toEqual(['edge-1', 'edge-2', 'edge-3', 'prod-1']);
    expect(wave(r, 'edge')).toMatchObject({ maxUnavailable: 1, unavailable: 2 });
    expect(wave(r, 'canary')).toMatchObject({ maxUnavailable: 1 });
  });

  it('a status written before the failures does not hide them', () => {
    const status = { partitions: ['canary', 'edge', 'production'].map((name) => ({ name, maxUnavailable: 1, unavailable: 0 })) };
    const r = map({ ...ALL_DONE, 'edge-1': 'failed', 'edge-2': 'failed', 'prod-1': 'held' }, { status });
    expect(wave(r, 'edge')).toMatchObject({ state: 'Failed', unavailable: 2, message: 'over its unavailable limit (2 > 1): 2 failed' });
    expect(wave(r, 'production').state).toBe('Held');
  });

  it('a paused bundle is Stopped and names the Fleet clusters that are paused too', () => {
    const clusters = CLUSTERS.map((c) =>
      fleetClusterView(c.metadata!.name === 'prod-2' ? fleetCluster('prod-2', { env: 'production' }, true) : c)!,
    );
    const spec = { ...bundle().spec!, paused: true };
    const r = map({ ...ALL_DONE, 'prod-1': 'held', 'prod-2': 'held' }, { spec }, { clusters });
    expect(r.state).toBe('Stopped');
    expect(r.message).toBe(
      'Bundle paused: Fleet stages new versions but applies none until it is resumed. Fleet clusters paused (held too): prod-2.',
    );
    expect(wave(r, 'production').state).toBe('Stopped');
    expect(wave(r, 'production').clusters.find((c) => c.cluster === 'prod-1')?.message).toBe('held: the bundle is paused');
    // A paused Fleet Cluster alone holds its own deployment, and the rollout says so.
    const clusterOnly = map({ ...ALL_DONE, 'prod-2': 'held' }, {}, { clusters });
    expect(clusterOnly).toMatchObject({ state: 'Progressing', message: 'Fleet clusters paused (held too): prod-2.' });
    expect(stateOf(clusterOnly, 'prod-2')).toBe('Held');
    expect(wave(clusterOnly, 'production').clusters.find((c) => c.cluster === 'prod-2')?.message).toBe(
      'held: the cluster is paused in Fleet',
    );
  });

  it('without partitions shows one wave "all" and says Fleet partitions automatically', () => {
    const r = map({ 'prod-1': 'done', 'prod-2': 'applying' }, { spec: {} });
    expect(r.waves).toHaveLength(1);
    expect(r.waves[0]).toMatchObject({ name: 'all', state: 'Progressing', maxUnavailable: 2, unavailable: 1 });
    expect(r.waves[0]!.message).toMatch(/^No partitions are defined: Fleet partitions the clusters itself/);
    expect(r.policy.sourceFields.maxUnavailable).toBe('spec.rolloutStrategy.maxUnavailable (unset: Fleet default 100%)');
  });

  it('puts clusters no partition selects in a wave of their own', () => {
    const clusters = [...CLUSTERS, fleetCluster('lab-1', { env: 'lab' })].map((c) => fleetClusterView(c)!);
    const r = map({ ...ALL_DONE, 'lab-1': 'held' }, {}, { clusters });
    expect(r.waves.at(-1)).toMatchObject({ name: 'unpartitioned', clusters: [{ cluster: 'lab-1', state: 'Held' }] });
  });

  it('tolerates unknown and missing fields', () => {
    expect(bundleView({ metadata: { name: 'x' } })).toBeUndefined();
    expect(bundleDeploymentView({ metadata: { name: 'x', namespace: 'y', labels: {} } })).toBeUndefined();
    const odd = bundleView({
      metadata: { name: 'b', namespace: 'ns' },
      spec: { rolloutStrategy: { maxUnavailable: 'lots', partitions: [{ name: 'p', maxUnavailable: -1 }, {}] } },
      status: { partitions: [{ name: 'p', count: 'two' as unknown as number }] },
    })!;
    const r = mapBundle({ bundle: odd, deployments: [], clusters: [], groups: [] });
    valid(r);
    expect(r.state).toBe('Initializing');
    expect([r.revision, r.rollback, r.pinned]).toEqual([undefined, undefined, undefined]);
    expect(r.waves.map((w) => [w.name, w.state, w.maxUnavailable])).toEqual([
      ['p', 'Succeeded', 1],
      ['partition-2', 'Succeeded', 1],
    ]);
  });

  it('names a deployment without the cluster label by the Fleet Cluster whose namespace holds it', () => {
    const bd = deployment('edge-1', 'done');
    delete bd.metadata!.labels!['fleet.cattle.io/cluster'];
    delete bd.metadata!.labels!['fleet.cattle.io/cluster-namespace'];
    const r = mapBundle({
      bundle: bundleView(bundle())!,
      deployments: [bundleDeploymentView(bd)!],
      clusters: CLUSTERS.map((c) => fleetClusterView(c)!),
      groups: [clusterGroupView(EDGE_GROUP)!],
    });
    expect(r.touches).toEqual(['edge-1']);
    expect(wave(r, 'edge').clusters[0]!.cluster).toBe('edge-1');
  });
});
