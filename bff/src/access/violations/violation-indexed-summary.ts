import { ViolationSeverity, type ViolationEngine, type ViolationFilters, type ViolationSummary } from '@fleetdeck/shared';

import { clusterMatches } from './violation-filter.ts';
import type { ClusterIndex, Counts, HeatCell } from './violation-index.ts';
import type { ScopedMeta } from './violation-scope.ts';
import { violationWork } from './violation-work.ts';

type NamespaceRow = ViolationSummary['byNamespace'][number];
/** The summary with its heat-map cells not yet sorted or cut. */
export type UnsortedSummary = Omit<ViolationSummary, 'byPolicyCluster'> & { cells: HeatCell[] };

const ord = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `summarize` from per-cluster and per-namespace counts, for filters that do not look
 * inside rows (cluster, tenant, env, namespace): a cluster the person sees whole adds its
 * precomputed counts (its cells are reused as they are), a namespace-limited one adds the
 * counts of the namespaces they may see. No row is touched. `meta` is already cut to the
 * person and the filters.
 */
export function summarizeIndexed(index: ReadonlyMap<string, ClusterIndex>, meta: ScopedMeta, f: ViolationFilters): UnsortedSummary {
  const cells: HeatCell[] = [];
  const severity = new Map<string, number>();
  const engine = new Map<ViolationEngine, number>();
  const tenant = new Map<string, number>();
  const namespaces = new Map<string, Map<string, NamespaceRow>>();
  let total = 0;
  const nsRow = (cluster: string, namespace: string): NamespaceRow => {
    let inCluster = namespaces.get(cluster);
    if (!inCluster) namespaces.set(cluster, (inCluster = new Map<string, NamespaceRow>()));
    let row = inCluster.get(namespace);
    if (!row) inCluster.set(namespace, (row = { cluster, namespace, pass: 0, warn: 0, fail: 0, error: 0, skip: 0, violations: 0 }));
    return row;
  };
  const addCounts = (c: Counts) => {
    for (const [k, n] of c.severity) severity.set(k, (severity.get(k) ?? 0) + n);
    for (const [k, n] of c.engine) engine.set(k, (engine.get(k) ?? 0) + n);
  };
  for (const [name, reach] of meta.reach) {
    const ci = index.get(name);
    if (!ci || !clusterMatches(meta.reach, name, f)) continue;
    let clusterTotal = 0;
    if (reach.whole && f.namespace === undefined) {
      // Seen whole: the precomputed cells as they are.
      for (const cell of ci.all.cells) cells.push(cell);
      addCounts(ci.all);
      clusterTotal = ci.all.total;
      violationWork.mergedCounts += ci.all.cells.length;
      for (const [ns, c] of ci.namespaces) nsRow(name, ns).violations += c.total;
      violationWork.mergedCounts += ci.namespaces.size;
    } else {
      // Some namespaces: their cells summed per (policy, engine), as new objects.
      const merged = new Map<string, { policy: string; engine: ViolationEngine; cluster: string; count: number }>();
      for (const [ns, c] of ci.namespaces) {
        violationWork.mergedCounts++;
        const visible = reach.whole || reach.inNamespace(ns);
        if (!visible || (f.namespace !== undefined && ns !== f.namespace)) continue;
        for (const cell of c.cells) {
          violationWork.mergedCounts++;
          const key = `${cell.engine}\u0000${cell.policy}`;
          const m = merged.get(key);
          if (m) m.count += cell.count;
          else merged.set(key, { ...cell });
        }
        addCounts(c);
        clusterTotal += c.total;
        nsRow(name, ns).violations += c.total;
      }
      for (const m of merged.values()) cells.push(m);
    }
    total += clusterTotal;
    if (clusterTotal > 0) tenant.set(reach.cluster.tenant, (tenant.get(reach.cluster.tenant) ?? 0) + clusterTotal);
  }
  for (const n of meta.namespaceCounts) {
    const row = nsRow(n.cluster, n.namespace);
    row.pass += n.pass;
    row.warn += n.warn;
    row.fail += n.fail;
    row.error += n.error;
    row.skip += n.skip;
  }
  return {
    total,
    cells,
    bySeverity: ViolationSeverity.options.flatMap((s) => (severity.has(s) ? [{ severity: s, count: severity.get(s)! }] : [])),
    byEngine: [...engine].map(([e, count]) => ({ engine: e, count })).sort((a, b) => ord(a.engine, b.engine)),
    byTenant: [...tenant].map(([t, count]) => ({ tenant: t, count })).sort((a, b) => b.count - a.count || ord(a.tenant, b.tenant)),
    byNamespace: [...namespaces.values()]
      .flatMap((m) => [...m.values()])
      .sort((a, b) => ord(a.cluster, b.cluster) || ord(a.namespace, b.namespace)),
    truncations: [...meta.truncations],
    feeds: [...meta.feeds],
    errors: [...meta.errors],
  };
}

/** The total under filters that do not look inside rows, from the same counts. */
export function totalIndexed(index: ReadonlyMap<string, ClusterIndex>, meta: ScopedMeta, f: ViolationFilters): number {
  let total = 0;
  for (const [name, reach] of meta.reach) {
    const ci = index.get(name);
    if (!ci || !clusterMatches(meta.reach, name, f)) continue;
    if (reach.whole && f.namespace === undefined) total += ci.all.total;
    else if (f.namespace !== undefined) {
      if (reach.whole || reach.inNamespace(f.namespace)) total += ci.namespaces.get(f.namespace)?.total ?? 0;
    } else if (!reach.whole) {
      for (const [ns, c] of ci.namespaces) if (reach.inNamespace(ns)) total += c.total;
    }
  }
  return total;
}
