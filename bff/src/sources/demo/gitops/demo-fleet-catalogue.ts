import { deliveryId, type Cluster, type DeliveryResource, type FleetBundleState } from '@fleetdeck/shared';

import { placeFleet, type FleetCustomizationSpec, type FleetTargetSpec } from '../../../domain/fleet-targets.ts';
import { commitOf, DEMO_GROUPS, fraction, HOUR, placementCluster } from './demo-git.ts';
import type { FleetTargetState, RepoState } from './demo-state.ts';

interface Trouble {
  state: FleetBundleState;
  message: string;
  resources: DeliveryResource[];
}

interface RepoSpec {
  namespace: string;
  name: string;
  tenant?: string;
  labels: Record<string, string>;
  repo: string;
  paths: string[];
  targets: FleetTargetSpec[];
  customizations: FleetCustomizationSpec[];
  correctDrift?: boolean;
  paused?: boolean;
  gitFailure?: string;
  /** Trouble on one cluster beyond what the cluster's own connection causes. */
  trouble?: Record<string, Trouble>;
}

const modified = (kind: string, namespace: string, name: string, message: string): DeliveryResource => ({
  kind,
  namespace,
  name,
  state: 'Modified',
  message,
});

/**
 * The brief's `bundles/core-stack/fleet.yaml`, every cluster (the brief's `fleet-infra`
 * GitRepo targets `clusterSelector: {}`). The brief lists `client-a-edge` after
 * `production`; Fleet applies the first matching entry, and the edge stores are
 * `env=production` too, so in that order they would run the production options (3
 * replicas, 2Gi) on one-node k3s. The more specific entry comes first here. Its
 * `client-a-override` (clusterGroup client-a) is kept: every client-a cluster matches an
 * earlier entry, so it applies nowhere, which the placement view shows.
 */
const CORE_STACK: RepoSpec = {
  namespace: 'fleet-default',
  name: 'core-stack',
  labels: { layer: 'platform' },
  repo: 'https://github.com/yourorg/fleet-repo',
  paths: ['bundles/core-stack'],
  targets: [{ name: 'all-clusters', clusterSelector: {} }],
  customizations: [
    {
      name: 'client-a-edge',
      clusterSelector: { matchLabels: { client: 'client-a', type: 'edge' } },
      options: ['helm.values.lightweight: true', 'helm.values.resources.limits.memory: 256Mi'],
    },
    {
      name: 'production',
      clusterSelector: { matchLabels: { env: 'production' } },
      options: ['helm.values.replicas: 3', 'helm.values.resources.limits.memory: 2Gi'],
    },
    {
      name: 'staging',
      clusterSelector: { matchLabels: { env: 'staging' } },
      options: ['helm.values.replicas: 1', 'helm.values.resources.limits.memory: 512Mi'],
    },
    { name: 'client-a-override', clusterGroup: 'client-a', options: ['yaml.overlays: ConfigMap client-config (CLIENT_ID=client-a)'] },
  ],
  trouble: {
    // The fixture's drifted store (2 drifted resources): someone scaled and edited by hand.
    'edge-retail-004': {
      state: 'Modified',
      message: 'Modified(2) [Deployment kube-system/core-stack-agent; ConfigMap kube-system/core-stack-config]',
      resources: [
        modified('Deployment', 'kube-system', 'core-stack-agent', 'spec.replicas: 1 in Git, 2 on the cluster (changed by kubectl scale)'),
        modified('ConfigMap', 'kube-system', 'core-stack-config', 'data.LOG_LEVEL: "info" in Git, "debug" on the cluster'),
      ],
    },
  },
};

const MONITORING_STACK: RepoSpec = {
  namespace: 'fleet-default',
  name: 'monitoring-stack',
  labels: { layer: 'platform' },
  repo: 'https://github.com/yourorg/fleet-repo',
  paths: ['bundles/monitoring-stack'],
  targets: [{ name: 'all-clusters', clusterSelector: {} }],
  customizations: [
    { name: 'edge', clusterGroup: 'edge-clusters', options: ['helm.values.prometheus.retention: 6h', 'helm.values.thanos.sidecar: false'] },
    { name: 'production', clusterSelector: { matchLabels: { env: 'production' } }, options: ['helm.values.prometheus.retention: 15d'] },
  ],
  correctDrift: true,
  trouble: {
    'client-c-staging': {
      state: 'ErrApplied',
      message:
        'error validating "monitoring-stack/servicemonitor.yaml": no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"',
      resources: [
        {
          kind: 'ServiceMonitor',
          namespace: 'monitoring',
          name: 'node-exporter',
          state: 'Missing',
          message: 'no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1" (CRD not installed)',
        },
      ],
    },
  },
};

const tenantRepo = (tenant: string, name: string, extra: Partial<RepoSpec> = {}): RepoSpec => ({
  namespace: `fleet-${tenant}`,
  name,
  tenant,
  labels: { client: tenant },
  repo: `https://github.com/${tenant}/fleet-apps`,
  paths: ['apps'],
  targets: [{ name: tenant, clusterGroup: tenant }],
  customizations: [],
  ...extra,
});

const REPOS: readonly RepoSpec[] = [
  CORE_STACK,
  MONITORING_STACK,
  tenantRepo('client-a', 'client-a-apps', {
    paths: ['apps/storefront', 'apps/inventory'],
    customizations: [
      { name: 'edge', clusterGroup: 'edge-clusters', options: ['kustomize.dir: overlays/edge'] },
      { name: 'staging', clusterSelector: { matchLabels: { env: 'staging' } }, options: ['kustomize.dir: overlays/staging'] },
    ],
  }),
  tenantRepo('client-b', 'client-b-apps', {
    customizations: [{ name: 'dev', clusterSelector: { matchLabels: { env: 'dev' } }, options: ['helm.values.debug: true'] }],
    trouble: {
      // The fixture's drifted dev cluster (5 drifted resources).
      'client-b-dev': {
        state: 'Modified',
        message: 'Modified(5) [Deployment client-b-dev/api; Service client-b-dev/api; ConfigMap client-b-dev/api-env; …]',
        resources: ['Deployment/api', 'Service/api', 'ConfigMap/api-env', 'Secret/api-tls', 'Ingress/api'].map((k) => {
          const [kind, name] = k.split('/') as [string, string];
          return modified(kind, 'client-b-dev', name, 'differs from Git (edited on the cluster)');
        }),
      },
    },
  }),
  tenantRepo('client-b', 'client-b-payments', {
    repo: 'https://github.com/client-b/payments-deploy',
    paths: ['deploy'],
    paused: true,
    targets: [
      {
        name: 'payments',
        clusterSelector: {
          matchLabels: { client: 'client-b' },
          matchExpressions: [{ key: 'env', operator: 'In', values: ['production', 'staging'] }],
        },
      },
    ],
  }),
  tenantRepo('client-c', 'client-c-apps'),
  tenantRepo('client-c', 'client-c-analytics', {
    repo: 'https://github.com/client-c/analytics-deploy',
    paths: ['charts/analytics'],
    targets: [{ name: 'production', clusterGroup: 'client-c', clusterSelector: { matchLabels: { env: 'production' } } }],
    gitFailure: "git ls-remote https://github.com/client-c/analytics-deploy: authentication required (the repo secret's token has expired)",
  }),
];

/** One cluster's part as the demo starts: its trouble, else what its connection and the repo's pause make it. */
function initialTarget(
  spec: RepoSpec,
  cluster: Cluster,
  commit: string,
  start: number,
): Omit<FleetTargetState, 'customization' | 'options'> {
  const previous = commitOf(spec.repo, 'previous');
  const appliedAt = start - Math.floor((2 + fraction('applied', spec.name, cluster.name) * 70) * HOUR);
  const trouble = spec.trouble?.[cluster.name];
  if (trouble) return { cluster: cluster.name, appliedCommit: commit, appliedAt, ...trouble, resources: [...trouble.resources] };
  if (cluster.state === 'NotReady')
    return {
      cluster: cluster.name,
      state: 'NotReady',
      appliedCommit: commit,
      appliedAt,
      message: 'the Fleet agent has not reported for 25 min',
      resources: [],
    };
  if (cluster.state === 'Unknown')
    return {
      cluster: cluster.name,
      state: 'WaitApplied',
      appliedCommit: previous,
      appliedAt: appliedAt - 24 * HOUR,
      message: 'waiting for the Fleet agent to apply (it last checked in 3 h ago)',
      resources: [],
    };
  if (spec.paused)
    return {
      cluster: cluster.name,
      state: 'OutOfSync',
      appliedCommit: previous,
      appliedAt: appliedAt - 24 * HOUR,
      message: `GitRepo is paused: commit ${commit.slice(0, 7)} is held`,
      resources: [],
    };
  return { cluster: cluster.name, state: 'Ready', appliedCommit: commit, appliedAt, resources: [] };
}

/** The demo's GitRepos over these clusters, as they stand at `start`. */
export function demoRepos(clusters: readonly Cluster[], start: number): RepoState[] {
  const placed = clusters.map(placementCluster);
  return REPOS.map((spec) => {
    const placement = placeFleet(spec.targets, spec.customizations, placed, DEMO_GROUPS);
    // Keyed by the repo: GitRepos reading one repo (core-stack, monitoring-stack) render the same commit.
    const commit = commitOf(spec.repo, 'head');
    const targets = clusters
      .filter((c) => placement.byCluster.has(c.name))
      .map((c): FleetTargetState => {
        const custom = placement.byCluster.get(c.name)!;
        return {
          ...initialTarget(spec, c, commit, start),
          ...(custom.customization !== undefined && { customization: custom.customization }),
          options: [...custom.options],
        };
      });
    return {
      engine: 'fleet',
      id: deliveryId('fleet', spec.namespace, spec.name),
      namespace: spec.namespace,
      name: spec.name,
      ...(spec.tenant !== undefined && { tenant: spec.tenant }),
      labels: spec.labels,
      repo: spec.repo,
      branch: 'main',
      paths: spec.paths,
      correctDrift: spec.correctDrift ?? false,
      placement: { targets: placement.targets, customizations: placement.customizations },
      commit,
      gitJob: spec.gitFailure ? 'Failed' : 'Current',
      ...(spec.gitFailure !== undefined && { gitJobMessage: spec.gitFailure, gitFailure: spec.gitFailure }),
      paused: spec.paused ?? false,
      forceSyncGeneration: 1 + Math.floor(fraction('generation', spec.name) * 4),
      clicks: [],
      targets,
    } satisfies RepoState;
  });
}
