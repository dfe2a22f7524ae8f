import type { Cluster } from '@fleetdeck/shared';

import type { KubeObject } from '../kube/client.ts';
import type { SeedObject } from '../kube/seed.ts';
import { targetedClusters } from './bundles/rollout.ts';
import {
  FAIL_ANNOTATION,
  LABEL_BUNDLE,
  LABEL_BUNDLE_NS,
  LABEL_CLUSTER,
  LABEL_CLUSTER_NS,
  LABEL_REPO,
  type Bundle,
} from './bundles/types.ts';

/**
 * The rollouts the testbed seeds for its stand-ins to move: KubeFleet staged update runs
 * (cluster-scoped and per tenant) and a Rancher Fleet GitRepo with partitioned Bundles.
 * Names are stable: tests and the BFF's tests refer to them.
 */
export const FLEET_NS = 'fleet-default';
export const tenantHubNamespace = (tenant: string) => `fleet-${tenant}`;
/** Where a Fleet Cluster's BundleDeployments live (its status.namespace). */
export const fleetClusterNamespace = (cluster: string) => `cluster-${FLEET_NS}-${cluster}`;

export const SEEDED = {
  /** Cluster-scoped, wholly client-a: canary, then an after-stage Approval. */
  clusterRun: 'client-a-patch-2026-11',
  /** In fleet-client-a, client-a's clusters: staging, then an after-stage Approval a client-a Tenant Admin may give. */
  clientARun: 'client-a-apps-v7',
  /** In fleet-client-b. */
  clientBRun: 'client-b-apps-v42',
  /** Cluster-scoped, wholly client-c: staging, then a 1h TimedWait. */
  timedRun: 'client-c-soak-v3',
  gitRepo: 'cve-2024-critical',
  /** Owned by the GitRepo; every partition completes. */
  bundle: 'cve-2024-critical-patch',
  /** Its edge partition has two failing clusters, over its maxUnavailable: production is held. */
  heldBundle: 'security-patch-cve-2026-1234',
  heldBundleFailing: ['edge-retail-007', 'edge-retail-011'],
} as const;

const P = 'placement.kubernetes-fleet.io/v1beta1';
const object = (o: KubeObject): SeedObject => ({ object: o });
const client = (t: string, more: Record<string, string> = {}) => ({ matchLabels: { client: t, ...more } });

const CLIENT_A_STAGES = [
  { name: 'canary', labelSelector: client('client-a', { tier: 'canary' }), afterStageTasks: [{ type: 'Approval' }] },
  { name: 'staging', labelSelector: client('client-a', { env: 'staging' }), afterStageTasks: [{ type: 'TimedWait', waitTime: '2s' }] },
  {
    name: 'produseast',
    labelSelector: client('client-a', { env: 'production', region: 'us-east' }),
    maxConcurrency: 2,
    beforeStageTasks: [{ type: 'Approval' }],
  },
  {
    name: 'prodrest',
    labelSelector: client('client-a', { env: 'production' }),
    maxConcurrency: '25%',
    beforeStageTasks: [{ type: 'Approval' }],
  },
];

const strategy = (name: string, stages: unknown[], namespace?: string): SeedObject =>
  object({
    apiVersion: P,
    kind: `${namespace ? '' : 'Cluster'}StagedUpdateStrategy`,
    metadata: { name, ...(namespace && { namespace }) },
    spec: { stages },
  });
const run = (name: string, placement: string, index: string, strategyName: string, namespace?: string, labels = {}): SeedObject =>
  object({
    apiVersion: P,
    kind: `${namespace ? '' : 'Cluster'}StagedUpdateRun`,
    metadata: { name, ...(namespace && { namespace }), labels },
    spec: { placementName: placement, resourceSnapshotIndex: index, stagedRolloutStrategyName: strategyName, state: 'Run' },
  });

export function kubeFleetSeed(): SeedObject[] {
  const a = tenantHubNamespace('client-a');
  const b = tenantHubNamespace('client-b');
  return [
    strategy('client-a-waves', CLIENT_A_STAGES),
    run(SEEDED.clusterRun, 'client-a-platform', '3', 'client-a-waves', undefined, { client: 'client-a' }),
    strategy(
      'apps-waves',
      [
        { name: 'staging', labelSelector: client('client-a', { env: 'staging' }), afterStageTasks: [{ type: 'Approval' }] },
        { name: 'production', labelSelector: client('client-a', { env: 'production' }), maxConcurrency: '25%' },
      ],
      a,
    ),
    run(SEEDED.clientARun, 'client-a-apps', '7', 'apps-waves', a),
    strategy(
      'apps-waves',
      [
        { name: 'dev', labelSelector: client('client-b', { env: 'dev' }) },
        { name: 'staging', labelSelector: client('client-b', { env: 'staging' }), afterStageTasks: [{ type: 'Approval' }] },
        { name: 'production', labelSelector: client('client-b', { env: 'production' }) },
      ],
      b,
    ),
    run(SEEDED.clientBRun, 'client-b-apps', '42', 'apps-waves', b),
    strategy('client-c-soak', [
      { name: 'staging', labelSelector: client('client-c', { env: 'staging' }), afterStageTasks: [{ type: 'TimedWait', waitTime: '1h' }] },
      { name: 'production', labelSelector: client('client-c', { env: 'production' }) },
    ]),
    run(SEEDED.timedRun, 'client-c-platform', '5', 'client-c-soak', undefined, { client: 'client-c' }),
  ];
}

const CLIENT_A_PRODUCTION = [{ clusterSelector: client('client-a', { env: 'production' }) }];

function bundle(
  name: string,
  rolloutStrategy: Bundle['spec']['rolloutStrategy'],
  extra: { labels?: Record<string, string>; annotations?: Record<string, string> },
): Bundle {
  return {
    metadata: { name, namespace: FLEET_NS, ...extra },
    spec: { rolloutStrategy, targets: CLIENT_A_PRODUCTION, resources: [{ name: `${name}.yaml`, content: `# ${name}\n` }] },
  };
}

export function rancherFleetSeed(clusters: readonly Cluster[]): SeedObject[] {
  const bundles = [
    bundle(
      SEEDED.bundle,
      {
        maxUnavailable: '25%',
        partitions: [
          // Upstream never upgrades a ready cluster in a partition whose limit is 0: the canary may have one down.
          { name: 'canary', clusterSelector: { matchLabels: { tier: 'canary' } }, maxUnavailable: 1 },
          { name: 'edge', clusterGroup: 'edge-clusters', maxUnavailable: 2 },
          { name: 'production', clusterSelector: { matchLabels: { env: 'production' } } },
        ],
      },
      { labels: { [LABEL_REPO]: SEEDED.gitRepo } },
    ),
    bundle(
      SEEDED.heldBundle,
      {
        maxUnavailable: '25%',
        maxUnavailablePartitions: 0,
        partitions: [
          { name: 'canary', clusterSelector: { matchLabels: { tier: 'canary' } }, maxUnavailable: 0 },
          { name: 'edge', clusterGroup: 'edge-clusters', maxUnavailable: 1 },
          { name: 'production', clusterSelector: { matchLabels: { env: 'production' } } },
        ],
      },
      { labels: { 'fleet.cattle.io/commit': '5e1f2a9' }, annotations: { [FAIL_ANNOTATION]: SEEDED.heldBundleFailing.join(',') } },
    ),
  ];
  const refs = clusters.map((c) => ({
    name: c.name,
    namespace: FLEET_NS,
    deploymentNamespace: fleetClusterNamespace(c.name),
    labels: c.labels,
    paused: false,
  }));
  const groups = [
    {
      name: 'edge-clusters',
      namespace: FLEET_NS,
      selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge', 'canary'] }] },
    },
  ];
  return [
    ...clusters.map((c) => object({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: fleetClusterNamespace(c.name) } })),
    {
      object: {
        apiVersion: 'fleet.cattle.io/v1alpha1',
        kind: 'GitRepo',
        metadata: { name: SEEDED.gitRepo, namespace: FLEET_NS },
        spec: {
          repo: 'https://git.invalid/platform/cve-patches.git',
          branch: 'main',
          paths: ['cve-2024-critical'],
          targets: CLIENT_A_PRODUCTION,
        },
      },
      status: { commit: '9f3c2b7d41e0a6c8b5f1e2d3c4b5a69788796a5b', gitJobStatus: 'Current' },
    },
    ...bundles.map((b) => object({ apiVersion: 'fleet.cattle.io/v1alpha1', kind: 'Bundle', metadata: { ...b.metadata }, spec: b.spec })),
    // One BundleDeployment per targeted cluster; the stand-in stages and releases them.
    ...bundles.flatMap((b) =>
      targetedClusters(b, refs, groups).map((c) =>
        object({
          apiVersion: 'fleet.cattle.io/v1alpha1',
          kind: 'BundleDeployment',
          metadata: {
            name: b.metadata.name,
            namespace: c.deploymentNamespace,
            labels: { [LABEL_BUNDLE]: b.metadata.name, [LABEL_BUNDLE_NS]: FLEET_NS, [LABEL_CLUSTER]: c.name, [LABEL_CLUSTER_NS]: FLEET_NS },
          },
          spec: {},
        }),
      ),
    ),
  ];
}
