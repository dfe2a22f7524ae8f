import type { NamespaceIsolation } from '@fleetdeck/shared';

import type { NetPolicyInfo, NetRule, Peer, Port } from './network-policy.ts';

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
}

/** The namespace label that names the tenant (`client` in the brief's fleet). */
export const DEFAULT_TENANT_LABEL = 'client';

/** What the brief's `tenant-isolation` lets through besides the own tenant. */
const INGRESS_ALLOWED: Record<string, { protocol: string; port: number }[]> = {
  'ingress-nginx': [{ protocol: 'TCP', port: 8080 }],
  monitoring: [{ protocol: 'TCP', port: 9090 }],
};
/** Egress to anywhere: DNS over UDP and HTTPS only. */
const EGRESS_ANYWHERE = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 443 },
];
const NAME_LABELS = ['kubernetes.io/metadata.name', 'name'];

type PeerClass = { own: true } | { own: false; words: string; special?: string };

function classify(peer: Peer, ns: NamespaceInfo, tenantLabel: string): PeerClass {
  if (peer.kind === 'sameNamespace') return { own: true };
  if (peer.kind === 'all') return { own: false, words: 'anywhere' };
  if (peer.kind === 'ipBlock') {
    const all = peer.cidr === '0.0.0.0/0' || peer.cidr === '::/0';
    return { own: false, words: all ? `${peer.cidr} (anywhere)` : peer.cidr };
  }
  const tenant = ns.labels[tenantLabel];
  const { labels, expressions } = peer;
  // Further labels or expressions only narrow a selector that already pins the own tenant or namespace.
  if (tenant !== undefined && labels[tenantLabel] === tenant) return { own: true };
  if (labels['kubernetes.io/metadata.name'] === ns.name) return { own: true };
  if (
    tenant !== undefined &&
    expressions.some((e) => e.key === tenantLabel && e.operator === 'In' && e.values.length > 0 && e.values.every((v) => v === tenant))
  )
    return { own: true };
  if (Object.keys(labels).length === 0 && expressions.length === 0) return { own: false, words: 'any namespace' };
  const named = NAME_LABELS.map((k) => labels[k]).find((v) => v !== undefined);
  const words = `namespaces ${Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}${expressions.length ? ' (and expressions)' : ''}`.replace(/ $/, '');
  return { own: false, words: Object.keys(labels).length ? words : 'namespaces chosen by an expression', ...(named && { special: named }) };
}

const portWords = (p: Port) =>
  p.port === undefined ? `every ${p.protocol} port` : `${p.protocol} ${p.port}${p.endPort && p.endPort !== p.port ? `-${p.endPort}` : ''}`;
const portIn = (p: Port, allowed: { protocol: string; port: number }[]) =>
  typeof p.port === 'number' &&
  (p.endPort === undefined || p.endPort === p.port) &&
  allowed.some((a) => a.protocol === p.protocol && a.port === p.port);

function ruleFindings(rule: NetRule, dir: 'ingress' | 'egress', ns: NamespaceInfo, tenantLabel: string, policy: string): string[] {
  const out: string[] = [];
  const peers: Peer[] = rule.peers.length ? rule.peers : [{ kind: 'all' }];
  for (const peer of peers) {
    const c = classify(peer, ns, tenantLabel);
    if (c.own) continue;
    const allowed = dir === 'egress' ? EGRESS_ANYWHERE : c.special ? (INGRESS_ALLOWED[c.special] ?? []) : [];
    const prefix = `${dir} ${dir === 'ingress' ? 'from' : 'to'} ${c.words}`;
    if (rule.ports.length === 0) {
      out.push(`${prefix} on every port (${policy})`);
      continue;
    }
    for (const p of rule.ports) if (!portIn(p, allowed)) out.push(`${prefix} on ${portWords(p)} (${policy})`);
  }
  return out;
}

/**
 * Is a tenant namespace isolated at least as strictly as the brief's `tenant-isolation`
 * (default deny both ways; ingress only from the own tenant, ingress-nginx on 8080 and
 * monitoring on 9090; egress only DNS, the own tenant and HTTPS)? NetworkPolicies are
 * additive, so every rule of every policy in the namespace is judged (one selecting some
 * pods still widens for those pods), and default deny must come from policies selecting
 * all pods. What cannot be proven narrow (named ports, ranges, unreadable peers) counts as wider.
 */
export function evaluateIsolation(
  cluster: string,
  ns: NamespaceInfo,
  policies: readonly NetPolicyInfo[],
  tenantLabel = DEFAULT_TENANT_LABEL,
): NamespaceIsolation {
  const mine = policies.filter((p) => p.namespace === ns.name).sort((a, b) => a.name.localeCompare(b.name));
  const tenant = ns.labels[tenantLabel];
  const base = { cluster, namespace: ns.name, ...(tenant !== undefined && { tenant }), policies: mine.map((p) => p.name) };
  const all = mine.filter((p) => p.selectsAll);
  const ingressDenied = all.some((p) => p.ingressIsolated);
  const egressDenied = all.some((p) => p.egressIsolated);
  if (!ingressDenied && !egressDenied)
    return { ...base, state: 'missing', findings: [mine.length ? 'no NetworkPolicy selects all pods' : 'no NetworkPolicy'] };
  const findings: string[] = [];
  if (!ingressDenied) findings.push('ingress is not denied by default');
  if (!egressDenied) findings.push('egress is not denied by default');
  for (const p of mine) {
    // Kubernetes ignores a direction's rules when the policy's types do not name it.
    if (p.ingressIsolated) for (const r of p.ingress) findings.push(...ruleFindings(r, 'ingress', ns, tenantLabel, p.name));
    if (p.egressIsolated) for (const r of p.egress) findings.push(...ruleFindings(r, 'egress', ns, tenantLabel, p.name));
  }
  const unique = [...new Set(findings)];
  return { ...base, state: unique.length ? 'wider' : 'isolated', findings: unique };
}

/** Every tenant namespace (one carrying the tenant label) of a cluster, judged. */
export function clusterIsolation(
  cluster: string,
  namespaces: readonly NamespaceInfo[],
  policies: readonly NetPolicyInfo[],
  tenantLabel = DEFAULT_TENANT_LABEL,
): NamespaceIsolation[] {
  return namespaces
    .filter((n) => n.labels[tenantLabel] !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((n) => evaluateIsolation(cluster, n, policies, tenantLabel));
}
