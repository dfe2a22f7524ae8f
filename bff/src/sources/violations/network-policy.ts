import { isRecord, list, num, str, strMap, type RawObject } from './raw-objects.ts';

/** A peer of a rule, as far as isolation cares. */
export type Peer =
  | { kind: 'all' }
  | { kind: 'sameNamespace' }
  | { kind: 'namespaces'; labels: Record<string, string>; expressions: { key: string; operator: string; values: string[] }[] }
  | { kind: 'ipBlock'; cidr: string; except: string[] };

export interface Port {
  protocol: string;
  /** Absent: every port of the protocol. A name (string) cannot be proven narrow. */
  port?: number | string;
  endPort?: number;
}

/** `peers`/`ports` empty mean "everything" (Kubernetes semantics of an absent from/to/ports). */
export interface NetRule {
  peers: Peer[];
  ports: Port[];
}

export interface NetPolicyInfo {
  name: string;
  namespace: string;
  /** podSelector {}: the policy applies to every pod of the namespace. */
  selectsAll: boolean;
  ingressIsolated: boolean;
  egressIsolated: boolean;
  ingress: NetRule[];
  egress: NetRule[];
}

function peerOf(v: unknown): Peer | undefined {
  if (!isRecord(v)) return undefined;
  if (isRecord(v.ipBlock)) {
    const cidr = str(v.ipBlock.cidr);
    return cidr ? { kind: 'ipBlock', cidr, except: list(v.ipBlock.except).filter((e): e is string => typeof e === 'string') } : undefined;
  }
  if (isRecord(v.namespaceSelector)) {
    const sel = v.namespaceSelector;
    const expressions = list(sel.matchExpressions)
      .filter(isRecord)
      .map((e) => ({
        key: str(e.key) ?? '',
        operator: str(e.operator) ?? '',
        values: list(e.values).filter((x): x is string => typeof x === 'string'),
      }));
    return { kind: 'namespaces', labels: strMap(sel.matchLabels), expressions };
  }
  // A podSelector alone picks pods of the policy's own namespace.
  return isRecord(v.podSelector) ? { kind: 'sameNamespace' } : undefined;
}

function portOf(v: unknown): Port | undefined {
  if (!isRecord(v)) return undefined;
  const port = num(v.port) ?? str(v.port);
  const endPort = num(v.endPort);
  return { protocol: str(v.protocol) ?? 'TCP', ...(port !== undefined && { port }), ...(endPort !== undefined && { endPort }) };
}

function ruleOf(v: unknown, peersKey: 'from' | 'to'): NetRule {
  const r = isRecord(v) ? v : {};
  const rawPeers = list(r[peersKey]);
  // A peer we cannot read is treated as "everything": isolation is judged conservatively.
  const peers = rawPeers.map((p) => peerOf(p) ?? ({ kind: 'all' } as const));
  const rawPorts = list(r.ports);
  const ports = rawPorts.map((p) => portOf(p)).filter((p): p is Port => !!p);
  return { peers, ports: ports.length === rawPorts.length ? ports : [] };
}

/** What isolation reads of a NetworkPolicy (networking.k8s.io/v1). */
export function netPolicyInfo(obj: RawObject): NetPolicyInfo | undefined {
  const name = str(obj.metadata?.name);
  const namespace = str(obj.metadata?.namespace);
  if (!name || !namespace) return undefined;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const sel = isRecord(spec.podSelector) ? spec.podSelector : undefined;
  const selectsAll = !!sel && Object.keys(strMap(sel.matchLabels)).length === 0 && list(sel.matchExpressions).length === 0;
  const ingress = list(spec.ingress).map((r) => ruleOf(r, 'from'));
  const egress = list(spec.egress).map((r) => ruleOf(r, 'to'));
  const types = list(spec.policyTypes).filter((t): t is string => typeof t === 'string');
  // Kubernetes' defaults when policyTypes is absent: Ingress always, Egress when egress rules exist.
  const ingressIsolated = types.length ? types.includes('Ingress') : true;
  const egressIsolated = types.length ? types.includes('Egress') : egress.length > 0;
  return { name, namespace, selectsAll, ingressIsolated, egressIsolated, ingress, egress };
}
