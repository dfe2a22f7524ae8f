import type { ViolationAction, ViolationEngine, ViolationSeverity } from '@fleetdeck/shared';

/** One kind of finding the demo fleet has: which policy says it, how bad, about what. */
export interface DemoCheck {
  engine: ViolationEngine;
  /** Gatekeeper: Kind/name of the constraint; Kyverno: the ClusterPolicy. */
  policy: string;
  rule?: string;
  severity: ViolationSeverity;
  action: ViolationAction;
  category?: string;
  kind: 'Pod' | 'Deployment' | 'Namespace';
  message: (name: string) => string;
}

/** The brief's baseline, as Gatekeeper constraints (client-a, and client-c's production). */
export const GATEKEEPER_CHECKS: readonly DemoCheck[] = [
  {
    engine: 'gatekeeper',
    policy: 'K8sPSPPrivilegedContainer/psp-privileged-container',
    severity: 'critical',
    action: 'deny',
    kind: 'Pod',
    message: (n) => `Privileged container is not allowed: ${n}, securityContext: {"privileged": true}`,
  },
  {
    engine: 'gatekeeper',
    policy: 'K8sAllowedRepos/allowed-repos',
    severity: 'high',
    action: 'deny',
    kind: 'Pod',
    message: (n) =>
      `container <${n}> has an invalid image repo <docker.io/library/${n}:1.4>, allowed repos are ["registry.fleetdeck.example/"]`,
  },
  {
    engine: 'gatekeeper',
    policy: 'K8sDisallowedTags/no-latest-tag',
    severity: 'medium',
    action: 'warn',
    kind: 'Pod',
    message: (n) => `container <${n}> uses a disallowed tag <registry.fleetdeck.example/${n}:latest>; disallowed tags are ["latest"]`,
  },
  {
    engine: 'gatekeeper',
    policy: 'K8sRequiredLabels/must-have-owner',
    severity: 'low',
    action: 'dryrun',
    kind: 'Deployment',
    message: () => 'you must provide labels: {"owner", "env", "app"}',
  },
  {
    engine: 'gatekeeper',
    policy: 'K8sPSPAllowedUsers/run-as-nonroot',
    severity: 'high',
    action: 'warn',
    kind: 'Pod',
    message: (n) => `Container ${n} is attempting to run as root`,
  },
  {
    engine: 'gatekeeper',
    policy: 'K8sContainerLimits/container-must-have-limits',
    severity: 'medium',
    action: 'deny',
    kind: 'Pod',
    message: (n) => `container <${n}> has no resource limits`,
  },
];

/** The same baseline as Kyverno ClusterPolicies (client-b and client-c). */
export const KYVERNO_CHECKS: readonly DemoCheck[] = [
  {
    engine: 'kyverno',
    policy: 'disallow-privileged-containers',
    rule: 'privileged-containers',
    severity: 'high',
    action: 'deny',
    category: 'Pod Security Standards (Baseline)',
    kind: 'Pod',
    message: () =>
      'validation error: Privileged mode is disallowed. The fields spec.containers[*].securityContext.privileged must be unset or set to `false`.',
  },
  {
    engine: 'kyverno',
    policy: 'disallow-latest-tag',
    rule: 'validate-image-tag',
    severity: 'medium',
    action: 'audit',
    category: 'Best Practices',
    kind: 'Pod',
    message: () =>
      "validation error: Using a mutable image tag e.g. 'latest' is not allowed. rule validate-image-tag failed at path /spec/containers/0/image/",
  },
  {
    engine: 'kyverno',
    policy: 'require-labels',
    rule: 'check-for-labels',
    severity: 'low',
    action: 'audit',
    category: 'Best Practices',
    kind: 'Deployment',
    message: () =>
      'validation error: The labels `owner`, `env` and `app` are required. rule check-for-labels failed at path /metadata/labels/owner/',
  },
  {
    engine: 'kyverno',
    policy: 'restrict-image-registries',
    rule: 'validate-registries',
    severity: 'high',
    action: 'deny',
    category: 'Best Practices, EKS Best Practices',
    kind: 'Pod',
    message: () => 'validation error: Unknown image registry. rule validate-registries failed at path /spec/containers/0/image/',
  },
  {
    engine: 'kyverno',
    policy: 'require-run-as-nonroot',
    rule: 'run-as-non-root',
    severity: 'high',
    action: 'audit',
    category: 'Pod Security Standards (Restricted)',
    kind: 'Pod',
    message: () =>
      'validation error: Running as root is not allowed. Either the field spec.securityContext.runAsNonRoot must be set to `true`, or the fields spec.containers[*].securityContext.runAsNonRoot must be set to `true`.',
  },
  {
    engine: 'kyverno',
    policy: 'require-requests-limits',
    rule: 'validate-resources',
    severity: 'medium',
    action: 'audit',
    category: 'Best Practices, EKS Best Practices',
    kind: 'Pod',
    message: () => 'validation error: CPU and memory resource requests and memory limits are required for containers.',
  },
];

/** Workloads every tenant namespace runs (pods get a hash suffix like a ReplicaSet's). */
export const WORKLOADS = ['web', 'api', 'worker', 'cache', 'ingest', 'reports'] as const;
export const TENANT_NAMESPACES = ['apps', 'web', 'jobs', 'data'] as const;
