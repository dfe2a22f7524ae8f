import type { BaselinePolicyId } from '@fleetdeck/shared';

/**
 * Which installed policies cover each of the brief's baseline policies. Gatekeeper by
 * constraint kind (names from the gatekeeper-library), Kyverno by policy name or rule
 * name (names from the kyverno/policies library). A policy not listed here counts for
 * nothing: coverage must not be claimed from a name we do not know.
 */
export const BASELINE_TABLE: readonly { baseline: BaselinePolicyId; gatekeeperKinds: string[]; kyvernoNames: string[] }[] = [
  {
    baseline: 'deny-privileged',
    gatekeeperKinds: ['K8sPSPPrivilegedContainer'],
    kyvernoNames: ['disallow-privileged-containers', 'privileged-containers'],
  },
  {
    baseline: 'deny-host-network',
    // The library's host-networking template checks hostNetwork and host ports together.
    gatekeeperKinds: ['K8sPSPHostNetworkingPorts'],
    // Kyverno's disallow-host-namespaces rejects hostNetwork along with hostPID/hostIPC.
    kyvernoNames: ['disallow-host-namespaces', 'host-namespaces', 'disallow-host-network'],
  },
  {
    baseline: 'allowed-registries',
    gatekeeperKinds: ['K8sAllowedRepos', 'K8sAllowedReposv2'],
    kyvernoNames: ['restrict-image-registries', 'validate-registries', 'allowed-registries'],
  },
  {
    baseline: 'deny-latest-tag',
    // Requiring digests is stricter than forbidding `latest`, so it covers it.
    gatekeeperKinds: ['K8sDisallowedTags', 'K8sImageDigests'],
    kyvernoNames: ['disallow-latest-tag', 'validate-image-tag', 'require-image-digest'],
  },
  {
    baseline: 'deny-root-user',
    gatekeeperKinds: ['K8sPSPAllowedUsers'],
    kyvernoNames: ['require-run-as-nonroot', 'require-run-as-non-root-user', 'run-as-non-root'],
  },
  {
    baseline: 'require-limits',
    gatekeeperKinds: ['K8sContainerLimits', 'K8sRequiredResources'],
    kyvernoNames: ['require-requests-limits', 'require-limits', 'validate-resources'],
  },
  {
    baseline: 'require-security-context',
    gatekeeperKinds: ['K8sPSPAllowPrivilegeEscalationContainer', 'K8sPSPReadOnlyRootFilesystem', 'K8sPSPCapabilities'],
    kyvernoNames: ['disallow-privilege-escalation', 'require-ro-rootfs', 'disallow-capabilities-strict', 'require-security-context'],
  },
  {
    baseline: 'require-labels',
    gatekeeperKinds: ['K8sRequiredLabels'],
    kyvernoNames: ['require-labels', 'check-for-labels'],
  },
  {
    baseline: 'require-network-policy',
    // The library has no such template; these are the names sites commonly give their own.
    gatekeeperKinds: ['K8sRequiredNetworkPolicy', 'K8sRequireNetworkPolicy'],
    kyvernoNames: ['require-network-policy', 'require-netpol'],
  },
  {
    baseline: 'require-pdb',
    gatekeeperKinds: ['K8sPodDisruptionBudget'],
    kyvernoNames: ['require-pdb', 'pdb-maxunavailable'],
  },
];
