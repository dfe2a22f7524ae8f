import type { KubeObject } from './client.ts';

/**
 * The brief's four roles as ClusterRoles, bound to the default access policy's groups,
 * and the BFF's own identity: it may impersonate and read what the product caches,
 * nothing more. Test users are never in system:masters, so denials are real.
 */
export const BFF_USER = 'fleetdeck-bff';
export const BFF_GROUP = 'fleetdeck:bff';

const FLEET_GROUPS = ['cluster.kubernetes-fleet.io', 'placement.kubernetes-fleet.io', 'fleet.cattle.io'];
const POLICY_GROUPS = ['constraints.gatekeeper.sh', 'wgpolicyk8s.io'];
const READ = ['get', 'list', 'watch'];

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

const LIST_WATCH = ['list', 'watch'];
/** What the BFF's own identity reads on a member cluster for violations, coverage and isolation. */
export const SPOKE_WATCH_RULES: Rule[] = [
  { apiGroups: [''], resources: ['namespaces'], verbs: LIST_WATCH },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: LIST_WATCH },
  { apiGroups: ['constraints.gatekeeper.sh'], resources: ['*'], verbs: LIST_WATCH },
  { apiGroups: ['templates.gatekeeper.sh'], resources: ['constrainttemplates'], verbs: LIST_WATCH },
  { apiGroups: ['kyverno.io'], resources: ['clusterpolicies', 'policies'], verbs: LIST_WATCH },
  { apiGroups: ['wgpolicyk8s.io'], resources: ['policyreports', 'clusterpolicyreports'], verbs: LIST_WATCH },
  { apiGroups: ['openreports.io'], resources: ['reports', 'clusterreports'], verbs: LIST_WATCH },
];

const VIEW_RULES: Rule[] = [
  { apiGroups: [''], resources: ['namespaces', 'pods', 'pods/log', 'services', 'configmaps', 'events', 'nodes', 'endpoints'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: FLEET_GROUPS, resources: ['*'], verbs: READ },
  { apiGroups: POLICY_GROUPS, resources: ['*'], verbs: READ },
  { apiGroups: ['argoproj.io'], resources: ['applications', 'applicationsets', 'appprojects'], verbs: READ },
];
const SECRETS: Rule = { apiGroups: [''], resources: ['secrets'], verbs: READ };
const PLACEMENT = 'placement.kubernetes-fleet.io';
const RUN_VERBS = ['get', 'create', 'patch', 'update', 'delete'];
const APPROVE_VERBS = ['get', 'patch', 'update'];
/** Hub only: what a Platform Admin may change in rollouts, as the BFF writes it while impersonating them. */
const PLATFORM_ROLLOUT_WRITES: Rule[] = [
  { apiGroups: [PLACEMENT], resources: ['clusterapprovalrequests/status', 'approvalrequests/status'], verbs: APPROVE_VERBS },
  // The approver policy records partial approvals in an annotation on the request itself (metadata).
  { apiGroups: [PLACEMENT], resources: ['clusterapprovalrequests', 'approvalrequests'], verbs: APPROVE_VERBS },
  { apiGroups: [PLACEMENT], resources: ['clusterstagedupdateruns', 'stagedupdateruns'], verbs: RUN_VERBS },
  { apiGroups: ['fleet.cattle.io'], resources: ['bundles'], verbs: ['patch', 'update'] },
  { apiGroups: ['fleet.cattle.io'], resources: ['gitrepos'], verbs: ['get', 'patch', 'update'] },
  // Gated Fleet waves: approving releases the wave's held clusters (Cluster.spec.paused).
  { apiGroups: ['fleet.cattle.io'], resources: ['clusters'], verbs: ['get', 'patch', 'update'] },
  // Argo CD sync (top-level `operation`; the CRD has no status subresource) and refresh (an annotation).
  { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  // RollingSync approvals under a multi-approver policy: recorded on the ApplicationSet (fleetdeck.dev/approvals).
  { apiGroups: ['argoproj.io'], resources: ['applicationsets'], verbs: ['get', 'patch'] },
];
/**
 * Hub only, bound per tenant in its Argo CD namespace `argocd-<tenant>` (testbed/src/argocd/seed.ts):
 * a tenant admin syncs and refreshes their tenant's Applications and no other's.
 */
export const TENANT_ARGOCD_ROLE = 'fleetdeck:tenant-argocd';
const TENANT_ARGOCD_WRITES: Rule[] = [
  { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
];
/** Hub only, bound per tenant in its hub namespace `fleet-<tenant>`: the namespaced twins. */
export const TENANT_ROLLOUTS_ROLE = 'fleetdeck:tenant-rollouts';
const TENANT_ROLLOUT_WRITES: Rule[] = [
  { apiGroups: [PLACEMENT], resources: ['approvalrequests/status', 'approvalrequests'], verbs: APPROVE_VERBS },
  { apiGroups: [PLACEMENT], resources: ['stagedupdateruns'], verbs: RUN_VERBS },
];

const clusterRole = (name: string, rules: Rule[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels: { 'app.kubernetes.io/part-of': 'fleetdeck-testbed' } },
  rules,
});

const subjectFor = (kind: 'Group' | 'User', name: string) => ({ kind, name, apiGroup: 'rbac.authorization.k8s.io' });

export const clusterRoleBinding = (
  role: string,
  subjects: { kind: 'Group' | 'User'; name: string }[],
  name = `${role}:${subjects.map((s) => s.name).join(',')}`,
): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: name.replace(/[^a-z0-9:.-]/g, '-').slice(0, 253) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: subjects.map((s) => subjectFor(s.kind, s.name)),
});

export const roleBinding = (namespace: string, role: string, group: string): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: `${role}:${group}`.replace(/[^a-z0-9:.-]/g, '-'), namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [subjectFor('Group', group)],
});

/** The groups of the default access policy for these tenants: the only groups the BFF may impersonate. */
export function policyGroups(tenants: readonly string[]): string[] {
  return [
    'fleet-platform-admins',
    'fleet-viewers',
    ...tenants.flatMap((t) => [`tenant-${t}-admins`, `tenant-${t}-developers`, `tenant-${t}-viewers`]),
  ];
}

/**
 * The view rules for roles bound per tenant namespace: every fleet group but the
 * MemberCluster one (a tenant's people get their own MemberClusters by name, below).
 * Placement and Fleet objects stay readable: a tenant's own runs and approval requests.
 */
const TENANT_VIEW_RULES: Rule[] = VIEW_RULES.map((r) => ({
  ...r,
  apiGroups: r.apiGroups.filter((g) => g !== 'cluster.kubernetes-fleet.io'),
})).filter((r) => r.apiGroups.length > 0);

/**
 * Hub only: what the BFF itself writes when a rule acts (the failure threshold pauses a run
 * or bundle, claims it with an annotation, rolls it back) — as itself, not impersonating.
 */
const BFF_RULE_WRITES: Rule[] = [
  { apiGroups: [PLACEMENT], resources: ['clusterstagedupdateruns', 'stagedupdateruns'], verbs: ['get', 'patch', 'create'] },
  { apiGroups: ['fleet.cattle.io'], resources: ['bundles'], verbs: ['get', 'patch'] },
  { apiGroups: ['fleet.cattle.io'], resources: ['gitrepos'], verbs: ['get', 'update'] },
];
/** The Lease that elects the replica acting on rules and the shared revocation list; bound by a RoleBinding in the Lease's namespace only. */
export const BFF_LEASE_ROLE = 'fleetdeck:bff-lease';
const BFF_LEASE_RULES: Rule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  // The shared logout revocation list (hashes of signed-out session ids): that one Secret, as the chart's Role grants.
  { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update', 'watch'], resourceNames: ['fleetdeck-revocations'] },
];

/** Where the BFF's default config looks for its Lease (the Helm chart uses its release namespace). */
export const BFF_LEASE_NAMESPACE = 'fleetdeck-system';
/** The Lease rights, bound to the BFF in one namespace (as the chart's Role and RoleBinding do). */
export const bffLeaseBinding = (namespace: string): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: BFF_LEASE_ROLE.replace(':', '-'), namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: BFF_LEASE_ROLE },
  subjects: [subjectFor('User', BFF_USER)],
});
const bffLeaseObjects = (): KubeObject[] => [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BFF_LEASE_NAMESPACE } },
  clusterRole(BFF_LEASE_ROLE, BFF_LEASE_RULES),
  bffLeaseBinding(BFF_LEASE_NAMESPACE),
];

export function roleObjects(kind: 'hub' | 'spoke', tenants: readonly string[]): KubeObject[] {
  const bffRules: Rule[] = [
    { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] },
    { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: policyGroups(tenants) },
    // The watch cache (hub only) reads fleet objects with the BFF's own identity.
    ...(kind === 'hub' ? [{ apiGroups: FLEET_GROUPS, resources: ['*'], verbs: READ }] : []),
    ...(kind === 'hub' ? [{ apiGroups: ['argoproj.io'], resources: ['applications', 'applicationsets'], verbs: READ }] : []),
    // Gated Fleet waves: the leader holds and releases Fleet Clusters (spec.paused + held-by annotation).
    ...(kind === 'hub' ? [{ apiGroups: ['fleet.cattle.io'], resources: ['clusters'], verbs: ['update'] }] : []),
    // Spokes: the violation store's informers (list/watch, nothing else). Namespace names
    // and labels serve drill-down patterns and tenant isolation; constraint kinds are
    // discovered, so that group is read whole.
    ...(kind === 'spoke' ? SPOKE_WATCH_RULES : []),
    // Audited changes are recorded as Events on the changed object.
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create'] },
    ...(kind === 'hub' ? BFF_RULE_WRITES : []),
  ];
  return [
    clusterRole('fleetdeck:platform-admin', [...VIEW_RULES, SECRETS, ...(kind === 'hub' ? PLATFORM_ROLLOUT_WRITES : [])]),
    clusterRole('fleetdeck:tenant-admin', [...TENANT_VIEW_RULES, SECRETS]),
    ...(kind === 'hub' ? [clusterRole(TENANT_ROLLOUTS_ROLE, TENANT_ROLLOUT_WRITES)] : []),
    ...(kind === 'hub' ? [clusterRole(TENANT_ARGOCD_ROLE, TENANT_ARGOCD_WRITES)] : []),
    clusterRole('fleetdeck:developer', [
      { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'configmaps', 'events', 'endpoints'], verbs: READ },
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: READ },
      { apiGroups: POLICY_GROUPS, resources: ['policyreports'], verbs: READ },
    ]),
    clusterRole('fleetdeck:viewer', TENANT_VIEW_RULES),
    clusterRole('fleetdeck:bff', bffRules),
    ...(kind === 'hub' ? bffLeaseObjects() : []),
    clusterRoleBinding('fleetdeck:bff', [{ kind: 'User', name: BFF_USER }]),
    clusterRoleBinding('fleetdeck:platform-admin', [{ kind: 'Group', name: 'fleet-platform-admins' }]),
    clusterRoleBinding('fleetdeck:viewer', [{ kind: 'Group', name: 'fleet-viewers' }], 'fleetdeck:viewer:fleet-viewers'),
  ];
}

/** On the hub, a tenant's people may get exactly their tenant's MemberClusters by name. */
export function hubTenantMemberClusterAccess(tenant: string, clusters: { name: string; env: string }[]): KubeObject[] {
  const all = clusters.map((c) => c.name);
  const nonProd = clusters.filter((c) => c.env !== 'production').map((c) => c.name);
  const read = (names: string[]): Rule[] =>
    names.length
      ? [{ apiGroups: ['cluster.kubernetes-fleet.io'], resources: ['memberclusters'], verbs: ['get', 'watch'], resourceNames: names }]
      : [];
  return [
    clusterRole(`fleetdeck:tenant:${tenant}:clusters`, read(all)),
    clusterRole(`fleetdeck:tenant:${tenant}:nonprod-clusters`, read(nonProd)),
    clusterRoleBinding(`fleetdeck:tenant:${tenant}:clusters`, [
      { kind: 'Group', name: `tenant-${tenant}-admins` },
      { kind: 'Group', name: `tenant-${tenant}-viewers` },
    ]),
    clusterRoleBinding(`fleetdeck:tenant:${tenant}:nonprod-clusters`, [{ kind: 'Group', name: `tenant-${tenant}-developers` }]),
  ];
}
