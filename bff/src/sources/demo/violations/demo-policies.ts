import type { Cluster, NamespaceIsolation, PolicyCoverage } from '@fleetdeck/shared';

import { computeCoverage } from '../../violations/coverage.ts';
import { evaluateIsolation } from '../../violations/isolation.ts';
import type { ConstraintInfo } from '../../violations/map-gatekeeper.ts';
import type { NetPolicyInfo, NetRule } from '../../violations/network-policy.ts';
import type { KyvernoPolicyInfo } from '../../violations/policy-objects.ts';
import { TENANT_NAMESPACES } from './demo-catalog.ts';

export const usesGatekeeper = (c: Cluster) => c.tenant === 'client-a' || c.name === 'prod-asia';
export const usesKyverno = (c: Cluster) => c.tenant !== 'client-a';

/**
 * Installed baseline policies: production has them all; lower environments and the
 * edge stores lack the PDB rule, client-a has no network-policy rule, and one Kyverno
 * policy on client-b-dev is not ready. Coverage itself is the same code as in real mode.
 */
export function demoCoverage(c: Cluster): PolicyCoverage[] {
  const prod = c.environment === 'production' && !c.name.startsWith('edge-');
  const constraints: ConstraintInfo[] = usesGatekeeper(c)
    ? [
        ['K8sPSPPrivilegedContainer', 'psp-privileged-container', 'deny'],
        ['K8sPSPHostNetworkingPorts', 'host-network-ports', 'deny'],
        ['K8sAllowedRepos', 'allowed-repos', 'deny'],
        ['K8sDisallowedTags', 'no-latest-tag', 'warn'],
        ['K8sPSPAllowedUsers', 'run-as-nonroot', 'warn'],
        ['K8sContainerLimits', 'container-must-have-limits', 'deny'],
        ['K8sPSPAllowPrivilegeEscalationContainer', 'no-privilege-escalation', 'deny'],
        ['K8sRequiredLabels', 'must-have-owner', 'dryrun'],
        ...(prod ? [['K8sPodDisruptionBudget', 'pdb-required', 'warn'] as const] : []),
      ].map(([kind, name, action]) => ({ kind: kind, name: name, action: action as ConstraintInfo['action'] }))
    : [];
  const kyverno: KyvernoPolicyInfo[] = usesKyverno(c)
    ? [
        ['disallow-privileged-containers', 'deny'],
        ['disallow-host-namespaces', 'deny'],
        ['restrict-image-registries', 'deny'],
        ['disallow-latest-tag', 'audit'],
        ['require-run-as-nonroot', 'audit'],
        ['require-requests-limits', 'audit'],
        ['disallow-privilege-escalation', 'deny'],
        ['require-labels', 'audit'],
        ['require-netpol', 'audit'],
        ...(prod ? [['require-pdb', 'audit'] as const] : []),
      ].map(([name, action]) => ({
        name: name,
        rules: [],
        action: action as KyvernoPolicyInfo['action'],
        ready: !(c.name === 'client-b-dev' && name === 'disallow-host-namespaces'),
      }))
    : [];
  return computeCoverage({ cluster: c.name, constraints, templates: [], kyverno });
}

const nsSel = (labels: Record<string, string>) => ({ kind: 'namespaces' as const, labels, expressions: [] });
const tcp = (port: number) => ({ protocol: 'TCP', port });

/** The brief's tenant-isolation policy for one namespace. */
function briefPolicy(namespace: string, tenant: string): NetPolicyInfo {
  const ingress: NetRule[] = [
    { peers: [nsSel({ client: tenant })], ports: [] },
    { peers: [nsSel({ name: 'ingress-nginx' })], ports: [tcp(8080)] },
    { peers: [nsSel({ name: 'monitoring' })], ports: [tcp(9090)] },
  ];
  const egress: NetRule[] = [
    { peers: [nsSel({})], ports: [{ protocol: 'UDP', port: 53 }] },
    { peers: [nsSel({ client: tenant })], ports: [] },
    { peers: [{ kind: 'ipBlock', cidr: '0.0.0.0/0', except: [] }], ports: [tcp(443)] },
  ];
  return { name: 'tenant-isolation', namespace, selectsAll: true, ingressIsolated: true, egressIsolated: true, ingress, egress };
}

/** Isolated almost everywhere; one namespace without a policy, two with one that lets too much through. */
export function demoIsolation(c: Cluster): NamespaceIsolation[] {
  return TENANT_NAMESPACES.map((short) => {
    const namespace = `${c.tenant}-${short}`;
    const policies: NetPolicyInfo[] = [];
    if (!(c.name === 'prod-us-west' && short === 'jobs')) policies.push(briefPolicy(namespace, c.tenant));
    if (c.name === 'prod-eu-west' && short === 'web')
      policies.push({
        name: 'allow-from-all-namespaces',
        namespace,
        selectsAll: true,
        ingressIsolated: true,
        egressIsolated: false,
        ingress: [{ peers: [nsSel({})], ports: [] }],
        egress: [],
      });
    if (c.name === 'client-c-staging' && short === 'data')
      policies.push({
        name: 'allow-egress-anywhere',
        namespace,
        selectsAll: true,
        ingressIsolated: false,
        egressIsolated: true,
        ingress: [],
        egress: [{ peers: [{ kind: 'ipBlock', cidr: '0.0.0.0/0', except: [] }], ports: [] }],
      });
    return evaluateIsolation(c.name, { name: namespace, labels: { client: c.tenant } }, policies);
  });
}
