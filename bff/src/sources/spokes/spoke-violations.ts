import type { Cluster, ClusterViolations, PartialError, PolicyViolation, Principal } from '@fleetdeck/shared';

import type { ImpersonatingClient } from '../kube/impersonating-client.ts';

interface ConstraintList {
  items: {
    kind?: string;
    metadata?: { name?: string };
    status?: {
      auditTimestamp?: string;
      violations?: { enforcementAction?: string; kind?: string; namespace?: string; name?: string; message?: string }[];
    };
  }[];
}
interface ReportList {
  items: {
    results?: {
      policy?: string;
      rule?: string;
      result?: string;
      severity?: string;
      message?: string;
      timestamp?: { seconds?: number };
      resources?: { kind?: string; namespace?: string; name?: string }[];
    }[];
  }[];
}

const iso = (t: string | undefined) => (t && !Number.isNaN(Date.parse(t)) ? new Date(t).toISOString() : undefined);

/**
 * Gatekeeper constraint violations and Kyverno policy-report failures of one cluster,
 * read as the person. What their RBAC refuses is reported, not hidden; namespaced
 * findings outside their namespaces are dropped.
 */
export async function readViolations(
  client: ImpersonatingClient,
  cluster: Cluster,
  principal: Principal,
  namespaces: '*' | string[],
): Promise<ClusterViolations> {
  // Cluster-scoped findings belong to whoever may see the whole cluster.
  const inNamespace = (ns: string | undefined) => namespaces === '*' || (ns !== undefined && namespaces.includes(ns));
  const items: PolicyViolation[] = [];
  const errors: PartialError[] = [];
  const get = async <T>(path: string): Promise<T | undefined> => {
    const res = await client.request<T>(principal, 'GET', path);
    if (res.status === 200) return res.body;
    if (res.status !== 404)
      errors.push({
        source: 'spoke',
        cluster: cluster.name,
        reason: `${path}: ${res.status === 403 ? 'not allowed for you' : `answered ${res.status}`}`,
      });
    return undefined;
  };
  // Constraints are cluster-scoped: only people who see the whole cluster read them.
  const discovery =
    namespaces === '*' ? await get<{ resources?: { name: string; kind: string }[] }>('/apis/constraints.gatekeeper.sh/v1beta1') : undefined;
  const kinds = (discovery?.resources ?? []).filter((r) => !r.name.includes('/'));
  await Promise.all(
    kinds.map(async (r) => {
      const list = await get<ConstraintList>(`/apis/constraints.gatekeeper.sh/v1beta1/${r.name}`);
      for (const c of list?.items ?? []) {
        for (const v of c.status?.violations ?? []) {
          if (!inNamespace(v.namespace)) continue;
          const observedAt = iso(c.status?.auditTimestamp);
          items.push({
            engine: 'gatekeeper',
            cluster: cluster.name,
            policy: `${r.kind}/${c.metadata?.name ?? '?'}`,
            ...(v.enforcementAction && { enforcementAction: v.enforcementAction }),
            resource: { kind: v.kind ?? '?', ...(v.namespace && { namespace: v.namespace }), name: v.name ?? '?' },
            message: v.message ?? '',
            ...(observedAt && { observedAt }),
          });
        }
      }
    }),
  );
  // Someone limited to some namespaces reads reports namespace by namespace.
  const reportPaths =
    namespaces === '*'
      ? ['/apis/wgpolicyk8s.io/v1alpha2/policyreports', '/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports']
      : namespaces.map((ns) => `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${encodeURIComponent(ns)}/policyreports`);
  for (const path of reportPaths) {
    const list = await get<ReportList>(path);
    for (const report of list?.items ?? []) {
      for (const result of report.results ?? []) {
        if (result.result !== 'fail' && result.result !== 'warn' && result.result !== 'error') continue;
        for (const res of result.resources ?? [{}]) {
          if (!inNamespace(res.namespace)) continue;
          const observedAt = result.timestamp?.seconds ? new Date(result.timestamp.seconds * 1000).toISOString() : undefined;
          items.push({
            engine: 'kyverno',
            cluster: cluster.name,
            policy: result.policy ?? '?',
            ...(result.rule && { rule: result.rule }),
            ...(result.severity && { severity: result.severity }),
            enforcementAction: result.result,
            resource: { kind: res.kind ?? '?', ...(res.namespace && { namespace: res.namespace }), name: res.name ?? '?' },
            message: result.message ?? '',
            ...(observedAt && { observedAt }),
          });
        }
      }
    }
  }
  items.sort(
    (a, b) =>
      a.policy.localeCompare(b.policy) ||
      (a.resource.namespace ?? '').localeCompare(b.resource.namespace ?? '') ||
      a.resource.name.localeCompare(b.resource.name),
  );
  return { items, errors };
}
