import { demoClusters, DEMO_TENANTS } from '@fleetdeck/shared/brief-fleet';
import type { Cluster } from '@fleetdeck/shared';

import type { KubeObject } from './client.ts';
import { GATEKEEPER_CONSTRAINT_KINDS } from './crds.ts';
import { FLEET_NS, fleetClusterNamespace, kubeFleetSeed, rancherFleetSeed, tenantHubNamespace } from '../controller/seed-rollouts.ts';
import { spokePolicySeed } from './seed-policies.ts';
import { apiServerAnnotation, argocdSeed } from '../argocd/seed.ts';
import { hubTenantMemberClusterAccess, roleBinding, clusterRoleBinding, TENANT_ROLLOUTS_ROLE } from './rbac.ts';

/**
 * What the testbed's hub and spokes hold after `up`: the brief's fleet as KubeFleet
 * MemberClusters and Rancher Fleet Clusters, tenant namespaces, a staged rollout with
 * approval gates, and on the spokes workloads' namespaces, a secret, policy violations.
 */
export const TENANTS = DEMO_TENANTS;
export { FLEET_NS, tenantHubNamespace, SEEDED } from '../controller/seed-rollouts.ts';

/** The member clusters that also run as real spoke API servers in the testbed. */
export const SPOKES = ['client-a-staging', 'prod-eu-west'] as const;

export function fleetClusters(now: Date, synthetic = 0): Cluster[] {
  return demoClusters(now, synthetic);
}

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

export interface SeedObject {
  object: KubeObject;
  /** Written with a status-subresource patch after the object exists. */
  status?: unknown;
}

export function memberClusterSeed(c: Cluster): SeedObject {
  const heartbeat = c.lastHeartbeat ?? new Date().toISOString();
  const healthy = c.state === 'Ready';
  return {
    object: {
      apiVersion: 'cluster.kubernetes-fleet.io/v1beta1',
      kind: 'MemberCluster',
      metadata: { name: c.name, labels: c.labels, annotations: { ...c.annotations, ...apiServerAnnotation(c.name) } },
      spec: {
        identity: { kind: 'ServiceAccount', name: 'fleet-member-agent', namespace: 'fleet-system', apiGroup: '' },
        heartbeatPeriodSeconds: 60,
      },
    },
    status: {
      conditions: [
        { type: 'ReadyToJoin', status: 'True', reason: 'ReadyToJoin', message: '', lastTransitionTime: heartbeat, observedGeneration: 1 },
        {
          type: 'Joined',
          status: 'True',
          reason: 'MemberClusterJoined',
          message: '',
          lastTransitionTime: heartbeat,
          observedGeneration: 1,
        },
      ],
      properties: { 'kubernetes-fleet.io/node-count': { value: String(c.nodeCount ?? 1), observationTime: heartbeat } },
      agentStatus: [
        {
          type: 'MemberAgent',
          lastReceivedHeartbeat: heartbeat,
          conditions: [
            { type: 'Joined', status: 'True', reason: 'Joined', lastTransitionTime: heartbeat, observedGeneration: 1 },
            {
              type: 'Healthy',
              status: healthy ? 'True' : 'False',
              reason: healthy ? 'Healthy' : 'HeartbeatStale',
              lastTransitionTime: heartbeat,
              observedGeneration: 1,
            },
          ],
        },
      ],
    },
  };
}

function rancherCluster(c: Cluster): SeedObject {
  return {
    object: {
      apiVersion: 'fleet.cattle.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: c.name, namespace: FLEET_NS, labels: c.labels, annotations: { ...c.annotations, ...apiServerAnnotation(c.name) } },
      spec: {},
    },
    status: {
      namespace: fleetClusterNamespace(c.name),
      display: { readyBundles: c.sync.state === 'Drifted' ? '3/4' : '4/4', state: c.state === 'Ready' ? 'Active' : 'WaitCheckIn' },
      agent: { lastSeen: c.lastHeartbeat },
      conditions: [{ type: 'Ready', status: c.state === 'Ready' ? 'True' : 'False', lastTransitionTime: c.lastHeartbeat }],
    },
  };
}

export function hubSeed(clusters: readonly Cluster[]): SeedObject[] {
  const out: SeedObject[] = [
    { object: ns(FLEET_NS) },
    ...TENANTS.map((t) => ({ object: ns(tenantHubNamespace(t), { client: t }) })),
    ...TENANTS.flatMap((t) => [
      { object: roleBinding(tenantHubNamespace(t), 'fleetdeck:tenant-admin', `tenant-${t}-admins`) },
      { object: roleBinding(tenantHubNamespace(t), 'fleetdeck:viewer', `tenant-${t}-viewers`) },
      { object: roleBinding(tenantHubNamespace(t), TENANT_ROLLOUTS_ROLE, `tenant-${t}-admins`) },
    ]),
    ...TENANTS.flatMap((t) =>
      hubTenantMemberClusterAccess(
        t,
        clusters.filter((c) => c.tenant === t).map((c) => ({ name: c.name, env: c.environment })),
      ).map((object) => ({ object })),
    ),
    ...clusters.map(memberClusterSeed),
    ...clusters.map(rancherCluster),
    {
      object: {
        apiVersion: 'fleet.cattle.io/v1alpha1',
        kind: 'ClusterGroup',
        metadata: { name: 'edge-clusters', namespace: FLEET_NS },
        spec: { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge', 'canary'] }] } },
      },
    },
    ...kubeFleetSeed(),
    ...rancherFleetSeed(clusters),
    ...argocdSeed(clusters, TENANTS),
  ];
  return out;
}

/** What a spoke API server holds: its tenant's namespaces, RBAC for its people, a secret, violations. */
export function spokeSeed(cluster: Cluster): SeedObject[] {
  const t = cluster.tenant;
  const namespaces = [`${t}-apps`, `${t}-jobs`, 'platform-system'];
  const devBindings =
    cluster.environment === 'production'
      ? []
      : [`${t}-apps`, `${t}-jobs`].map((n) => ({ object: roleBinding(n, 'fleetdeck:developer', `tenant-${t}-developers`) }));
  const now = new Date().toISOString();
  return [
    ...namespaces.map((n) => ({ object: ns(n, { client: t }) })),
    {
      object: clusterRoleBinding(
        'fleetdeck:tenant-admin',
        [{ kind: 'Group', name: `tenant-${t}-admins` }],
        `fleetdeck:tenant-admin:tenant-${t}-admins`,
      ),
    },
    {
      object: clusterRoleBinding(
        'fleetdeck:viewer',
        [{ kind: 'Group', name: `tenant-${t}-viewers` }],
        `fleetdeck:viewer:tenant-${t}-viewers`,
      ),
    },
    ...devBindings,
    {
      object: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db-credentials', namespace: `${t}-apps` },
        type: 'Opaque',
        stringData: { password: `testbed-only-${t}` },
      },
    },
    {
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app-config', namespace: `${t}-apps` },
        data: { LOG_LEVEL: 'info' },
      },
    },
    // Pods as objects (no kubelet runs them); their phase is written like a kubelet would.
    ...[
      ['web-0', `${t}-apps`, 'Running'],
      ['web-1', `${t}-apps`, 'Running'],
      ['worker-0', `${t}-apps`, 'Pending'],
      ['batch-0', `${t}-jobs`, 'Failed'],
      ['agent-0', 'platform-system', 'Running'],
    ].map(([name, namespace, phase]) => ({
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: name!, namespace },
        spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }] },
      },
      status: { phase },
    })),
    ...GATEKEEPER_CONSTRAINT_KINDS.map((kind, i) => ({
      object: {
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind,
        metadata: { name: `${kind.toLowerCase()}-baseline` },
        spec: { enforcementAction: i === 0 ? 'deny' : 'warn', match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] } },
      },
      status: {
        auditTimestamp: now,
        totalViolations: i + 1,
        violations: Array.from({ length: i + 1 }, (_, j) => ({
          enforcementAction: i === 0 ? 'deny' : 'warn',
          kind: 'Pod',
          namespace: `${t}-apps`,
          name: `web-${j}`,
          message: `${kind}: pod web-${j} violates the ${kind} policy`,
        })),
      },
    })),
    {
      object: {
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        metadata: { name: 'polr-apps', namespace: `${t}-apps` },
        summary: { pass: 4, fail: 2, warn: 1, error: 0, skip: 0 },
        results: [
          {
            policy: 'require-requests-limits',
            rule: 'validate-resources',
            result: 'fail',
            severity: 'medium',
            category: 'Best Practices',
            message: 'CPU and memory limits are required',
            source: 'kyverno',
            timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
            resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: `${t}-apps` }],
          },
          {
            policy: 'disallow-latest-tag',
            rule: 'validate-image-tag',
            result: 'fail',
            severity: 'medium',
            category: 'Best Practices',
            message: "Using a mutable image tag e.g. 'latest' is not allowed",
            source: 'kyverno',
            timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
            resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'worker-1', namespace: `${t}-apps` }],
          },
          {
            policy: 'require-labels',
            rule: 'check-team',
            result: 'warn',
            severity: 'low',
            category: 'Multi-Tenancy',
            message: 'label team is recommended',
            source: 'kyverno',
            timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
            resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: `${t}-apps` }],
          },
        ],
      },
    },
    ...spokePolicySeed(cluster),
  ];
}
