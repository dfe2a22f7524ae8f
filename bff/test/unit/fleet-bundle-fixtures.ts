import type {
  BundleDeploymentObject,
  BundleObject,
  ClusterGroupObject,
  FleetClusterObject,
  GitRepoObject,
} from '../../src/sources/rancher/bundles/fleet-objects.ts';

/** Fleet objects as the hub would serve them, for the bundle mapping tests. */
export const NS = 'fleet-default';

export function fleetCluster(name: string, labels: Record<string, string>, paused = false): FleetClusterObject {
  return { metadata: { name, namespace: NS, labels }, spec: { paused }, status: { namespace: `cluster-${NS}-${name}` } };
}

export const CLUSTERS = [
  fleetCluster('canary-1', { tier: 'canary', env: 'production' }),
  fleetCluster('edge-1', { tier: 'edge', env: 'production' }),
  fleetCluster('edge-2', { tier: 'edge', env: 'production' }),
  fleetCluster('edge-3', { tier: 'edge', env: 'production' }),
  fleetCluster('prod-1', { env: 'production' }),
  fleetCluster('prod-2', { env: 'production' }),
];

export const EDGE_GROUP: ClusterGroupObject = {
  metadata: { name: 'edge-clusters', namespace: NS, labels: { kind: 'edge' } },
  spec: { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge'] }] } },
};

export function bundle(
  over: { spec?: BundleObject['spec']; status?: BundleObject['status']; labels?: Record<string, string> } = {},
): BundleObject {
  return {
    metadata: {
      name: 'cve-patch',
      namespace: NS,
      uid: 'u-1',
      labels: { 'fleet.cattle.io/repo-name': 'cve-repo', ...over.labels },
      creationTimestamp: '2026-11-24T09:00:00Z',
    },
    spec: over.spec ?? {
      rolloutStrategy: {
        maxUnavailable: '100%',
        partitions: [
          { name: 'canary', maxUnavailable: 0, clusterSelector: { matchLabels: { tier: 'canary' } } },
          { name: 'edge', maxUnavailable: 1, clusterGroup: 'edge-clusters' },
          { name: 'production', clusterSelector: { matchLabels: { env: 'production' } } },
        ],
      },
    },
    ...(over.status && { status: over.status }),
  };
}

export type Phase = 'done' | 'held' | 'applying' | 'notReady' | 'failed' | 'new';

/** A BundleDeployment of `cve-patch` on `cluster` in a given phase of the update from commit c1 to c2. */
export function deployment(cluster: string, phase: Phase, extra: Partial<BundleDeploymentObject['status']> = {}): BundleDeploymentObject {
  const staged = 's-c2';
  const deploymentID = phase === 'held' ? 's-c1' : staged;
  const applied = phase === 'held' || phase === 'applying' ? 's-c1' : staged;
  const commit = phase === 'held' || phase === 'applying' ? 'c1' : 'c2';
  return {
    metadata: {
      name: 'cve-patch',
      namespace: `cluster-${NS}-${cluster}`,
      labels: {
        'fleet.cattle.io/bundle-name': 'cve-patch',
        'fleet.cattle.io/bundle-namespace': NS,
        'fleet.cattle.io/cluster': cluster,
        'fleet.cattle.io/cluster-namespace': NS,
        'fleet.cattle.io/commit': commit,
      },
    },
    spec: phase === 'new' ? {} : { stagedDeploymentID: staged, deploymentID },
    status:
      phase === 'new'
        ? {}
        : {
            appliedDeploymentID: applied,
            ready: phase === 'done' || phase === 'held',
            ...(phase === 'failed' && {
              display: { state: 'ErrApplied' },
              nonReadyStatus: [
                { kind: 'Deployment', namespace: 'apps', name: 'web', summary: { error: true, message: ['ImagePullBackOff'] } },
              ],
            }),
            ...(phase === 'notReady' && {
              nonReadyStatus: [{ kind: 'Deployment', namespace: 'apps', name: 'web', summary: { message: ['0/2 replicas ready'] } }],
            }),
            ...extra,
          },
  };
}

export function gitRepo(
  over: { branch?: string; revision?: string; annotations?: Record<string, string>; commit?: string } = {},
): GitRepoObject {
  return {
    metadata: { name: 'cve-repo', namespace: NS, ...(over.annotations && { annotations: over.annotations }) },
    spec: {
      ...('branch' in over ? over.branch !== undefined && { branch: over.branch } : { branch: 'main' }),
      ...(over.revision && { revision: over.revision }),
    },
    status: { commit: over.commit ?? 'c2' },
  };
}
