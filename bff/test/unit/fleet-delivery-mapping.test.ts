import { describe, expect, it } from 'vitest';

import { clusterGroupView, fleetClusterView } from '../../src/sources/rancher/bundles/reduce-objects.ts';
import { AppliedCommits } from '../../src/sources/gitops/fleet/applied-commits.ts';
import { FORCE_UPDATE_CLICKS, forceUpdated } from '../../src/sources/gitops/fleet/delivery-actions.ts';
import type { BundleDeploymentObject, GitRepoObject, RawTarget } from '../../src/sources/gitops/fleet/delivery-objects.ts';
import { mapFleetDelivery } from '../../src/sources/gitops/fleet/map-delivery.ts';
import { bundleDeploymentView, bundleView, gitRepoView } from '../../src/sources/gitops/fleet/reduce-delivery.ts';

const NS = 'fleet-default';
const T0 = '2026-11-20T10:00:00.000Z';

function bd(
  cluster: string,
  bundle: string,
  status: BundleDeploymentObject['status'],
  spec: BundleDeploymentObject['spec'] = {},
  commit = 'c2',
) {
  return {
    metadata: {
      name: bundle,
      namespace: `cluster-${NS}-${cluster}`,
      labels: {
        'fleet.cattle.io/bundle-name': bundle,
        'fleet.cattle.io/bundle-namespace': NS,
        'fleet.cattle.io/cluster': cluster,
        'fleet.cattle.io/cluster-namespace': NS,
        'fleet.cattle.io/commit': commit,
      },
    },
    spec: { deploymentID: `s-${commit}:x`, stagedDeploymentID: `s-${commit}:x`, ...spec },
    status,
  } satisfies BundleDeploymentObject;
}
const readyStatus = (deploymentID: string) => ({
  appliedDeploymentID: deploymentID,
  ready: true,
  nonModified: true,
  display: { state: 'Ready' },
  conditions: [{ type: 'Deployed', status: 'True', lastTransitionTime: T0 }],
});
const repo = (
  over: Partial<NonNullable<GitRepoObject['spec']>> = {},
  status: GitRepoObject['status'] = { commit: 'c2', gitJobStatus: 'Current' },
) =>
  gitRepoView({
    metadata: {
      name: 'core-stack',
      namespace: NS,
      uid: 'u1',
      labels: { team: 'platform' },
      annotations: { 'fleetdeck.dev/x': '1', other: 'no' },
    },
    spec: {
      repo: 'https://git.example/core',
      branch: 'main',
      paths: ['app', 'monitoring'],
      forceSyncGeneration: 3,
      correctDrift: { enabled: true },
      targets: [{ clusterSelector: {} }],
      ...over,
    },
    status,
  })!;

describe('Fleet delivery reducers', () => {
  it("takes a BundleDeployment's display state, else derives it as Fleet does", () => {
    const derived = (spec: BundleDeploymentObject['spec'], status: BundleDeploymentObject['status']) =>
      bundleDeploymentView({ ...bd('a', 'b', status), spec })!.state;
    expect(bundleDeploymentView(bd('a', 'b', { display: { state: 'Modified' } }))!.state).toBe('Modified');
    expect(derived({}, {})).toBe('Pending');
    expect(derived({ deploymentID: 'd1' }, { conditions: [{ type: 'Deployed', status: 'False' }] })).toBe('ErrApplied');
    expect(derived({ deploymentID: 'd1' }, {})).toBe('WaitApplied');
    expect(derived({ deploymentID: 'd1', stagedDeploymentID: 'd1' }, { appliedDeploymentID: 'd1' })).toBe('NotReady');
    expect(derived({ deploymentID: 'd1', stagedDeploymentID: 'd2' }, { appliedDeploymentID: 'd1', ready: true })).toBe('OutOfSync');
    expect(derived({ deploymentID: 'd1', stagedDeploymentID: 'd1' }, { appliedDeploymentID: 'd1', ready: true, nonModified: false })).toBe(
      'Modified',
    );
    expect(derived({ deploymentID: 'd1', stagedDeploymentID: 'd1' }, { appliedDeploymentID: 'd1', ready: true, nonModified: true })).toBe(
      'Ready',
    );
  });

  it('lists non-ready, modified, missing and orphaned resources with their messages, at most 50', () => {
    const view = bundleDeploymentView(
      bd('a', 'b', {
        display: { state: 'Modified' },
        nonReadyStatus: [
          { kind: 'Deployment', namespace: 'web', name: 'api', summary: { state: 'updating', message: ['0/3 ready', 'progressing'] } },
        ],
        modifiedStatus: [
          { kind: 'ConfigMap', namespace: 'web', name: 'cfg', patch: '{"data":{"x":"2"}}' },
          { kind: 'Service', namespace: 'web', name: 'gone', missing: true },
          { kind: 'Secret', namespace: 'web', name: 'old', delete: true },
          ...Array.from({ length: 60 }, (_, i) => ({ kind: 'ConfigMap', namespace: 'web', name: `m${i}`, patch: '{}' })),
        ],
      }),
    )!;
    expect(view.resources.slice(0, 4)).toEqual([
      { kind: 'Deployment', namespace: 'web', name: 'api', state: 'NotReady', message: '0/3 ready; progressing' },
      { kind: 'ConfigMap', namespace: 'web', name: 'cfg', state: 'Modified', message: '{"data":{"x":"2"}}' },
      { kind: 'Service', namespace: 'web', name: 'gone', state: 'Missing', message: 'in git, not on the cluster' },
      { kind: 'Secret', namespace: 'web', name: 'old', state: 'Orphaned', message: 'on the cluster, no longer in git' },
    ]);
    expect(view.resources).toHaveLength(50);
    expect(view.resourcesCut).toBe(14);
  });

  it("reads a Bundle's customizations as the targets ahead of the GitRepo's (targetRestrictions)", () => {
    const b = bundleView({
      metadata: { name: 'core-stack-app', namespace: NS, labels: { 'fleet.cattle.io/repo-name': 'core-stack' } },
      spec: {
        targets: [
          { name: 'prod', clusterSelector: { matchLabels: { env: 'production' } }, helm: { values: { replicas: 3 } } },
          { name: 'eu', clusterSelector: { matchLabels: { region: 'eu-west' } }, doNotDeploy: true },
          { name: 'all', clusterSelector: {} },
        ],
        targetRestrictions: [{ name: 'all', clusterSelector: {} }],
      },
    })!;
    expect(b.repoName).toBe('core-stack');
    expect(b.customizations).toEqual([
      { name: 'prod', clusterSelector: { matchLabels: { env: 'production' } }, options: ['helm.values.replicas: 3'] },
      { name: 'eu', clusterSelector: { matchLabels: { region: 'eu-west' } }, doNotDeploy: true, options: [] },
    ]);
    // Without restrictions (not made from a GitRepo) every target is a target, none a customization.
    expect(bundleView({ metadata: { name: 'x', namespace: NS }, spec: { targets: [{ clusterSelector: {} }] } })!.customizations).toEqual(
      [],
    );
  });

  it('reads the git job, and its message only when it is not Current', () => {
    const failed = repo({}, { gitJobStatus: 'Failed', display: { message: 'auth failed' } });
    expect(failed).toMatchObject({ gitJob: 'Failed', gitJobMessage: 'auth failed', forceSyncGeneration: 3, correctDrift: true });
    expect(repo({}, { gitJobStatus: 'Current', display: { message: 'old news' } }).gitJobMessage).toBeUndefined();
    expect(repo({}, {}).gitJob).toBe('Unknown');
    expect(repo().fleetdeck).toEqual({ 'fleetdeck.dev/x': '1' });
  });
});

describe('mapFleetDelivery', () => {
  const clusters = [
    fleetClusterView({ metadata: { name: 'prod-us-east', namespace: NS, labels: { env: 'production' } } })!,
    fleetClusterView({ metadata: { name: 'staging', namespace: NS, labels: { env: 'staging' } } })!,
    fleetClusterView({ metadata: { name: 'edge-1', namespace: NS, labels: { env: 'production', tier: 'edge' } }, spec: { paused: true } })!,
  ];
  const groups = [clusterGroupView({ metadata: { name: 'edge', namespace: NS }, spec: { selector: { matchLabels: { tier: 'edge' } } } })!];
  const bundle = (path: string, customizations: RawTarget[] = []) =>
    bundleView({
      metadata: { name: `core-stack-${path}`, namespace: NS, labels: { 'fleet.cattle.io/repo-name': 'core-stack' } },
      spec: { targets: [...customizations, { clusterSelector: {} }], targetRestrictions: [{ clusterSelector: {} }] },
    })!;
  const bundles = [
    bundle('app', [
      { name: 'edge', clusterGroup: 'edge', helm: { values: { lightweight: true } } },
      { name: 'prod', clusterSelector: { matchLabels: { env: 'production' } }, helm: { values: { replicas: 3 } } },
    ]),
    bundle('monitoring'),
  ];
  const deployments = [
    bd('prod-us-east', 'core-stack-app', readyStatus('s-c2:x')),
    bd('prod-us-east', 'core-stack-monitoring', {
      appliedDeploymentID: 's-c2:x',
      ready: true,
      nonModified: false,
      display: { state: 'Modified' },
      modifiedStatus: [{ kind: 'ConfigMap', namespace: 'mon', name: 'rules', patch: '{}' }],
    }),
    bd('staging', 'core-stack-app', { display: { state: 'ErrApplied', message: 'helm: chart not found' } }),
    // Staged a new commit it has not applied: its applied commit stays the old one.
    bd(
      'edge-1',
      'core-stack-app',
      { ...readyStatus('s-c1:x'), display: { state: 'OutOfSync' } },
      { deploymentID: 's-c1:x', stagedDeploymentID: 's-c2:x' },
      'c1',
    ),
  ].map((o) => bundleDeploymentView(o)!);
  const applied = new AppliedCommits();
  const map = (r = repo()) =>
    mapFleetDelivery({
      repo: r,
      bundles,
      deployments,
      clusters,
      groups,
      appliedOf: (x) => applied.observe(x, new Date('2026-11-21T00:00:00Z')),
    });

  it('maps the GitRepo: repo, branch, commits, details, object and annotations', () => {
    const d = map();
    expect(d).toMatchObject({
      id: 'fleet:fleet-default/core-stack',
      engine: 'fleet',
      repo: 'https://git.example/core',
      branch: 'main',
      paths: ['app', 'monitoring'],
      renderedCommit: 'c2',
      paused: false,
      labels: { team: 'platform' },
      fleet: { gitJob: 'Current', forceSyncGeneration: 3, bundles: 2, correctDrift: true },
      object: { apiVersion: 'fleet.cattle.io/v1alpha1', kind: 'GitRepo', name: 'core-stack', namespace: NS, uid: 'u1' },
      annotations: { 'fleetdeck.dev/x': '1' },
    });
    expect(d.repoStatus).toBeUndefined();
  });

  it('gives each cluster its worst deployment state, applied commit, resources and customization', () => {
    const byCluster = Object.fromEntries(map().targets.map((t) => [t.cluster, t]));
    expect(Object.keys(byCluster)).toEqual(['edge-1', 'prod-us-east', 'staging']);
    expect(byCluster['prod-us-east']).toMatchObject({
      fleetState: 'Modified',
      status: { label: 'Modified', tone: 'warning' },
      appliedCommit: 'c2',
      // The monitoring bundle's deployment has no Deployed condition: first seen at the mapping time.
      lastSyncAt: '2026-11-21T00:00:00.000Z',
      bundles: 2,
      paused: false,
      resources: [{ kind: 'ConfigMap', name: 'rules', state: 'Modified' }],
      customization: 'prod',
      options: ['helm.values.replicas: 3'],
    });
    expect(byCluster.staging).toMatchObject({ fleetState: 'ErrApplied', status: { tone: 'error' }, message: 'helm: chart not found' });
    expect(byCluster.staging!.appliedCommit).toBeUndefined();
    // A paused Fleet Cluster holds its deployments; the first customization (edge) wins over prod.
    expect(byCluster['edge-1']).toMatchObject({
      fleetState: 'OutOfSync',
      paused: true,
      status: { label: 'OutOfSync (paused)', tone: 'paused' },
      appliedCommit: 'c1',
      customization: 'edge',
      options: ['helm.values.lightweight: true'],
    });
  });

  it("shows WHAT × WHERE: the GitRepo's targets and each bundle's customizations with their clusters", () => {
    const { placement } = map();
    expect(placement!.targets).toEqual([{ selector: '', clusters: ['edge-1', 'prod-us-east', 'staging'] }]);
    expect(placement!.customizations.map((c) => [c.name, c.selector, c.clusters])).toEqual([
      ['edge', 'group:edge', ['edge-1']],
      ['prod', 'env=production', ['prod-us-east']],
    ]);
  });

  it('folds a failed git job into a repo problem and a running one into GitUpdating', () => {
    expect(map(repo({}, { gitJobStatus: 'Failed' })).repoStatus).toMatchObject({ label: 'Git job failed', tone: 'error' });
    expect(map(repo({}, { gitJobStatus: 'InProgress' })).repoStatus).toMatchObject({ label: 'GitUpdating', tone: 'progressing' });
  });

  it('a paused GitRepo holds every cluster', () => {
    expect(
      map(repo({ paused: true })).targets.every((t) => t.paused && t.status.label.endsWith('(paused)') !== (t.fleetState === 'ErrApplied')),
    ).toBe(true);
  });
});

describe('AppliedCommits', () => {
  const view = (commit: string, applied: boolean) =>
    bundleDeploymentView(bd('a', 'b', applied ? readyStatus(`s-${commit}:x`) : {}, { deploymentID: `s-${commit}:x` }, commit))!;

  it('dates a first sight by the Deployed condition, a later change by when it is seen', () => {
    const memory = new AppliedCommits();
    expect(memory.observe(view('c1', true), new Date('2026-11-21T00:00:00Z'))).toEqual({ commit: 'c1', at: T0 });
    expect(memory.observe(view('c1', true), new Date('2026-11-22T00:00:00Z'))).toEqual({ commit: 'c1', at: T0 });
    // Asked to deploy c2, not applied yet: still c1.
    expect(memory.observe(view('c2', false), new Date('2026-11-22T00:00:00Z'))).toEqual({ commit: 'c1', at: T0 });
    expect(memory.observe(view('c2', true), new Date('2026-11-23T00:00:00Z'))).toEqual({ commit: 'c2', at: '2026-11-23T00:00:00.000Z' });
    memory.forget(`cluster-${NS}-a`, 'b');
    expect(memory.observe(view('c2', false), new Date())).toBeUndefined();
  });
});

describe('forceUpdated', () => {
  it('adds one to forceSyncGeneration as Rancher does ((current || 1) + 1), once per click', () => {
    expect(forceUpdated({ spec: {} }, 'click-0001')).toMatchObject({ from: 0, to: 2 });
    const first = forceUpdated({ spec: { forceSyncGeneration: 4 } }, 'click-0001')!;
    expect(first).toMatchObject({ from: 4, to: 5 });
    expect(first.next.metadata!.annotations![FORCE_UPDATE_CLICKS]).toBe('click-0001');
    expect(forceUpdated(first.next, 'click-0001')).toBeUndefined();
    expect(forceUpdated(first.next, 'click-0002')).toMatchObject({ from: 5, to: 6 });
  });

  it('keeps only the last 20 clicks', () => {
    let doc = { spec: { forceSyncGeneration: 1 } } as Parameters<typeof forceUpdated>[0];
    for (let i = 0; i < 25; i++) doc = forceUpdated(doc, `click-${String(i).padStart(4, '0')}`)!.next;
    const clicks = doc.metadata!.annotations![FORCE_UPDATE_CLICKS]!.split(',');
    expect(clicks).toHaveLength(20);
    expect(clicks[0]).toBe('click-0005');
    expect(doc.spec!.forceSyncGeneration).toBe(26);
  });
});
