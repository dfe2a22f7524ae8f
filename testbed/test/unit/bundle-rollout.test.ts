import { describe, expect, it } from 'vitest';

import { commitOf, deploymentIdOf, reconcileBundle } from '../../src/controller/bundles/rollout.ts';
import type { Bundle, BundleDeployment, FleetClusterRef, RolloutStrategy } from '../../src/controller/bundles/types.ts';

const cluster = (name: string, tier: string): FleetClusterRef => ({
  name,
  namespace: 'fleet-default',
  deploymentNamespace: `cluster-fleet-default-${name}`,
  labels: { env: 'production', tier },
  paused: false,
});
const CLUSTERS = [
  cluster('canary-1', 'canary'),
  ...['e-1', 'e-2', 'e-3', 'e-4'].map((n) => cluster(n, 'edge')),
  cluster('p-1', 'critical'),
  cluster('p-2', 'critical'),
];
const GROUPS = [
  {
    name: 'edge-clusters',
    namespace: 'fleet-default',
    selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge', 'canary'] }] },
  },
];
const PARTITIONS: RolloutStrategy = {
  partitions: [
    { name: 'canary', clusterSelector: { matchLabels: { tier: 'canary' } }, maxUnavailable: 0 },
    { name: 'edge', clusterGroup: 'edge-clusters', maxUnavailable: 1 },
    { name: 'production', clusterSelector: { matchLabels: { env: 'production' } } },
  ],
};
/** Like PARTITIONS but with a canary that may be upgraded: Fleet never upgrades a ready cluster in a partition with maxUnavailable 0. */
const UPGRADABLE: RolloutStrategy = {
  partitions: PARTITIONS.partitions!.map((p) => (p.name === 'canary' ? { ...p, maxUnavailable: 1 } : p)),
};
const t0 = Date.parse('2026-11-24T10:00:00Z');

function harness(opts: { strategy?: RolloutStrategy; fail?: string[]; commit?: string } = {}) {
  let bundle: Bundle = {
    metadata: { name: 'b', namespace: 'fleet-default', generation: 1 },
    spec: { rolloutStrategy: opts.strategy ?? PARTITIONS, targets: [{ clusterSelector: { matchLabels: { env: 'production' } } }] },
  };
  let clusters = CLUSTERS;
  let commit = opts.commit ?? 'aaa111';
  const bds = new Map<string, BundleDeployment>();
  let now = t0;
  let last: ReturnType<typeof reconcileBundle> | undefined;
  const step = (seconds = 0) => {
    now += seconds * 1000;
    last = reconcileBundle({
      bundle,
      commit,
      deployments: [...bds.values()],
      clusters,
      groups: GROUPS,
      now: new Date(now),
      secondsPerCluster: 1,
      failClusters: new Set(opts.fail ?? []),
    });
    for (const c of last.deployments) bds.set(c.next.metadata.labels!['fleet.cattle.io/cluster']!, c.next);
    bundle = { ...bundle, status: last.status };
    return last;
  };
  const bd = (name: string) => bds.get(name)!;
  const released = () =>
    [...bds.entries()]
      .filter(([, d]) => d.spec.deploymentID === last!.deploymentID)
      .map(([n]) => n)
      .sort();
  const applied = () =>
    [...bds.entries()]
      .filter(([, d]) => d.status?.appliedDeploymentID === last!.deploymentID)
      .map(([n]) => n)
      .sort();
  const run = (seconds: number, tick = 0.5) => {
    for (let t = 0; t < seconds; t += tick) step(tick);
  };
  return {
    step,
    run,
    bd,
    released,
    applied,
    get bundle() {
      return bundle;
    },
    setBundle: (b: Partial<Bundle['spec']>) => (bundle = { ...bundle, spec: { ...bundle.spec, ...b } }),
    setClusters: (c: FleetClusterRef[]) => (clusters = c),
    setCommit: (c: string) => (commit = c),
    partition: (name: string) => bundle.status!.partitions!.find((p) => p.name === name)!,
  };
}

describe('reconcileBundle (Rancher Fleet stand-in)', () => {
  it('creates a deployment per targeted cluster with the version staged, and releases partitions in order', () => {
    const h = harness();
    const first = h.step();
    expect(first.deployments.filter((d) => d.create)).toHaveLength(7);
    expect(first.deploymentID).toBe(deploymentIdOf(h.bundle, 'aaa111'));
    expect(commitOf(first.deploymentID)).toBe('aaa111');
    expect(new Set(first.deployments.map((d) => d.next.spec.stagedDeploymentID))).toEqual(new Set([first.deploymentID]));
    // canary (maxUnavailable 0) is applying: edge waits for it.
    expect(h.released()).toEqual(['canary-1']);
    expect(h.bd('canary-1').metadata.labels?.['fleet.cattle.io/commit']).toBe('aaa111');
    h.step(0.5);
    h.step(1);
    expect(h.applied()).toEqual(['canary-1']);
    expect(h.bd('canary-1').status).toMatchObject({ ready: true, display: { state: 'Ready' } });
    expect(h.released()).toContain('e-1');
    expect(h.released()).not.toContain('p-1');
    h.run(20);
    expect(h.applied()).toEqual(['canary-1', 'e-1', 'e-2', 'e-3', 'e-4', 'p-1', 'p-2']);
    expect(h.bundle.status?.summary).toMatchObject({ ready: 7, desiredReady: 7, errApplied: 0, waitApplied: 0 });
    expect(h.bundle.status?.display).toEqual({ readyClusters: '7/7', state: '' });
    expect(h.partition('edge')).toMatchObject({ count: 4, maxUnavailable: 1, unavailable: 0 });
  });

  it('holds the next partition while one is over its maxUnavailable (failing clusters: ErrApplied with nonReadyStatus)', () => {
    const h = harness({ fail: ['e-2', 'e-3'] });
    h.run(30);
    expect(h.applied()).toEqual(['canary-1', 'e-1', 'e-2', 'e-3', 'e-4']);
    expect(h.released()).not.toContain('p-1');
    expect(h.bd('p-1').spec.stagedDeploymentID).not.toBe(h.bd('p-1').spec.deploymentID);
    expect(h.partition('edge')).toMatchObject({ count: 4, maxUnavailable: 1, unavailable: 2 });
    expect(h.bd('e-2').status).toMatchObject({ ready: false, display: { state: 'ErrApplied' } });
    expect(h.bd('e-2').status?.nonReadyStatus).toHaveLength(1);
    expect(h.bundle.status?.summary).toMatchObject({ errApplied: 2, pending: 2, ready: 3, desiredReady: 7 });
    expect(h.bundle.status?.summary?.nonReadyResources?.map((r) => r.bundleState)).toContain('ErrApplied');
    expect(h.bundle.status?.display?.state).toBe('ErrApplied');
  });

  it('with maxUnavailablePartitions 1, one unhealthy partition does not hold the next', () => {
    const h = harness({ fail: ['e-2', 'e-3'], strategy: { ...PARTITIONS, maxUnavailablePartitions: 1 } });
    h.run(30);
    expect(h.applied()).toEqual(['canary-1', 'e-1', 'e-2', 'e-3', 'e-4', 'p-1', 'p-2']);
    expect(h.bundle.status?.unavailablePartitions).toBe(1);
  });

  it('an upgrade never has more clusters unavailable than the bundle-wide maxUnavailable', () => {
    const h = harness({ strategy: { maxUnavailable: 2 } });
    h.run(10);
    // Fleet releases deployments it has just created at once (they are not ready yet); the limit binds upgrades.
    expect(h.applied()).toHaveLength(7);
    h.setCommit('bbb222');
    let worst = 0;
    for (let i = 0; i < 40; i++) {
      h.step(0.25);
      worst = Math.max(worst, h.bundle.status?.unavailable ?? 0, h.released().length - h.applied().length);
    }
    expect(worst).toBe(2);
    expect(h.applied()).toHaveLength(7);
  });

  it("names a non-ready cluster in the summaries as Fleet does: the cluster's namespace/name", () => {
    const h = harness({ fail: ['e-2', 'e-3'] });
    h.run(30);
    const names = (s: { nonReadyResources?: { name: string }[] } | undefined) => (s?.nonReadyResources ?? []).map((r) => r.name);
    expect(names(h.partition('edge').summary)).toEqual(['fleet-default/e-2', 'fleet-default/e-3']);
    expect(names(h.bundle.status?.summary)).toEqual(['fleet-default/e-2', 'fleet-default/e-3', 'fleet-default/p-1', 'fleet-default/p-2']);
  });

  it('rounds percentages down with a minimum of 1 (maxUnavailable and autoPartitionSize: 25% of 14 is 3)', () => {
    const many = Array.from({ length: 14 }, (_, i) => cluster(`c-${String(i + 1).padStart(2, '0')}`, 'edge'));
    const h = harness({ strategy: { maxUnavailable: '25%', autoPartitionThreshold: 5, autoPartitionSize: '25%' } });
    h.setClusters(many);
    const status = h.step().status;
    expect(status.maxUnavailable).toBe(3);
    expect(status.partitions.map((p) => [p.count, p.maxUnavailable])).toEqual([
      [3, 1],
      [3, 1],
      [3, 1],
      [3, 1],
      [2, 1],
    ]);
    h.setBundle({ rolloutStrategy: { maxUnavailable: '10%' } });
    expect(h.step().status.maxUnavailable).toBe(1);
  });

  it('counts a partition unavailable while clusters in it are not up to date, and publishes the count Fleet writes', () => {
    // Edge may have 2 unavailable, so its own limit never holds a release here; only the count decides.
    const strategy = { partitions: UPGRADABLE.partitions!.map((p) => (p.name === 'edge' ? { ...p, maxUnavailable: 2 } : p)) };
    const h = harness({ strategy });
    h.run(20);
    expect(h.applied()).toHaveLength(7);
    h.setClusters(CLUSTERS.map((c) => (['e-2', 'e-3', 'e-4'].includes(c.name) ? { ...c, paused: true } : c)));
    h.setCommit('bbb222');
    h.step();
    expect(h.released()).toEqual(['canary-1', 'e-1']);
    // Fleet writes status.partitions[].unavailable as counted before the pass's releases.
    expect(h.partition('edge').unavailable).toBe(0);
    h.step();
    expect(h.partition('edge').unavailable).toBe(1);
    h.run(20);
    // e-2..e-4 are paused, so never up to date: 3 > edge's maxUnavailable 2 holds production.
    expect(h.applied()).toEqual(['canary-1', 'e-1']);
    expect(h.bd('p-1').spec.deploymentID).not.toBe(h.bd('p-1').spec.stagedDeploymentID);
    expect(h.bundle.status?.unavailablePartitions).toBe(1);
    expect(h.partition('edge')).toMatchObject({ maxUnavailable: 2, unavailable: 0 });
  });

  it("releases within a partition no more than the partition's own maxUnavailable at a time", () => {
    const h = harness({ strategy: UPGRADABLE });
    h.run(20);
    h.setCommit('bbb222');
    let worst = 0;
    for (let i = 0; i < 80; i++) {
      h.step(0.25);
      const edge = h.released().filter((c) => c.startsWith('e-') && !h.applied().includes(c));
      worst = Math.max(worst, edge.length);
    }
    expect(worst).toBe(1);
    expect(h.applied()).toHaveLength(7);
  });

  it('never upgrades a ready cluster in a partition with maxUnavailable 0, and that partition holds the later ones', () => {
    const h = harness();
    h.run(20);
    expect(h.applied()).toHaveLength(7);
    h.setCommit('bbb222');
    h.run(20);
    expect(h.released()).toEqual([]);
    expect(h.bundle.status?.unavailablePartitions).toBe(1);
  });

  it('a paused bundle stages the version but releases nothing; unpausing proceeds', () => {
    const h = harness();
    h.setBundle({ paused: true });
    h.run(10);
    expect(h.released()).toEqual([]);
    expect(h.bd('e-1').spec.stagedDeploymentID).toBeTruthy();
    h.setBundle({ paused: false });
    h.run(20);
    expect(h.applied()).toHaveLength(7);
  });

  it('a paused Fleet Cluster or a paused BundleDeployment does not move; the others do', () => {
    const h = harness({ strategy: { maxUnavailable: '100%' } });
    h.setClusters(CLUSTERS.map((c) => (c.name === 'p-1' ? { ...c, paused: true } : c)));
    h.step();
    h.bd('e-4').spec.paused = true;
    h.run(10);
    expect(h.applied()).toEqual(['canary-1', 'e-1', 'e-2', 'e-3', 'p-2']);
    expect(h.bd('p-1').spec.deploymentID).toBeUndefined();
    expect(h.bd('e-4').status?.appliedDeploymentID).toBeUndefined();
    h.setClusters(CLUSTERS);
    h.bd('e-4').spec.paused = false;
    h.run(5);
    expect(h.applied()).toHaveLength(7);
  });

  it('a new commit restages every deployment and releases it partition by partition again', () => {
    const h = harness({ strategy: UPGRADABLE });
    h.run(20);
    const old = h.bd('p-1').spec.deploymentID;
    h.setCommit('bbb222');
    const next = h.step();
    expect(next.deploymentID).not.toBe(old);
    expect(commitOf(next.deploymentID)).toBe('bbb222');
    expect(next.deployments.every((d) => d.next.spec.stagedDeploymentID === next.deploymentID)).toBe(true);
    // The canary and the first edge cluster (edge's maxUnavailable is 1); production waits for edge.
    expect(h.released()).toEqual(['canary-1', 'e-1']);
    expect(h.bd('p-1').spec.deploymentID).toBe(old);
    expect(h.bd('p-1').metadata.labels?.['fleet.cattle.io/commit']).toBe('aaa111');
    h.run(20);
    expect(h.applied()).toHaveLength(7);
    expect(h.bd('p-1').metadata.labels?.['fleet.cattle.io/commit']).toBe('bbb222');
  });

  it('a changed bundle spec changes the deployment id; pausing does not', () => {
    const h = harness();
    const id = h.step().deploymentID;
    h.setBundle({ paused: true });
    expect(h.step().deploymentID).toBe(id);
    h.setBundle({ paused: false, resources: [{ name: 'x.yaml', content: 'changed' }] });
    expect(h.step().deploymentID).not.toBe(id);
  });
});
