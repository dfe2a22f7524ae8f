import { ViolationSeverity, type ViolationEngine, type ViolationSummary } from '@fleetdeck/shared';

import { byCellOrder } from './violation-heat-map.ts';
import type { ScopedViolations } from './violation-scope.ts';

type NamespaceRow = ViolationSummary['byNamespace'][number];

const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
/** Ordinal, not locale-aware: names are Kubernetes names, and this runs over thousands of rows per answer. */
const ord = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The summary of one person's filtered slice: every count is over rows they may see
 * (`scoped` is already cut by scopeSnapshot and filterScoped). Tenants come from the
 * inventory's cluster, never from the violation.
 */
export function summarize(scoped: ScopedViolations): ViolationSummary {
  type Cell = { policy: string; engine: ViolationEngine; cluster: string; count: number };
  // Nested maps (cluster → policy → cell per engine): no key string built per row.
  const cells = new Map<string, Map<string, Partial<Record<ViolationEngine, Cell>>>>();
  const severity = new Map<string, number>();
  const engine = new Map<ViolationEngine, number>();
  const tenant = new Map<string, number>();
  const namespaces = new Map<string, Map<string, NamespaceRow>>();
  const nsRow = (cluster: string, namespace: string): NamespaceRow => {
    let inCluster = namespaces.get(cluster);
    if (!inCluster) namespaces.set(cluster, (inCluster = new Map<string, NamespaceRow>()));
    let row = inCluster.get(namespace);
    if (!row) inCluster.set(namespace, (row = { cluster, namespace, pass: 0, warn: 0, fail: 0, error: 0, skip: 0, violations: 0 }));
    return row;
  };
  for (const v of scoped.violations) {
    let inCluster = cells.get(v.cluster);
    if (!inCluster) cells.set(v.cluster, (inCluster = new Map<string, Partial<Record<ViolationEngine, Cell>>>()));
    let byEngine = inCluster.get(v.policy);
    if (!byEngine) inCluster.set(v.policy, (byEngine = {}));
    const cell = byEngine[v.engine];
    if (cell) cell.count++;
    else byEngine[v.engine] = { policy: v.policy, engine: v.engine, cluster: v.cluster, count: 1 };
    severity.set(v.severity, (severity.get(v.severity) ?? 0) + 1);
    engine.set(v.engine, (engine.get(v.engine) ?? 0) + 1);
    const t = scoped.reach.get(v.cluster)?.cluster.tenant;
    if (t !== undefined) tenant.set(t, (tenant.get(t) ?? 0) + 1);
    if (v.resource.namespace !== undefined) nsRow(v.cluster, v.resource.namespace).violations++;
  }
  for (const n of scoped.namespaceCounts) {
    const row = nsRow(n.cluster, n.namespace);
    row.pass += n.pass;
    row.warn += n.warn;
    row.fail += n.fail;
    row.error += n.error;
    row.skip += n.skip;
  }
  return {
    total: scoped.violations.length,
    byPolicyCluster: [...cells.values()].flatMap((m) => [...m.values()].flatMap((e) => Object.values(e))).sort(byCellOrder),
    bySeverity: ViolationSeverity.options.flatMap((s) => (severity.has(s) ? [{ severity: s, count: severity.get(s)! }] : [])),
    byEngine: [...engine].map(([e, count]) => ({ engine: e, count })).sort((a, b) => ord(a.engine, b.engine)),
    byTenant: [...tenant].map(([t, count]) => ({ tenant: t, count })).sort((a, b) => byCount(a, b) || ord(a.tenant, b.tenant)),
    byNamespace: [...namespaces.values()]
      .flatMap((m) => [...m.values()])
      .sort((a, b) => ord(a.cluster, b.cluster) || ord(a.namespace, b.namespace)),
    truncations: [...scoped.truncations],
    feeds: [...scoped.feeds],
    errors: [...scoped.errors],
  };
}
