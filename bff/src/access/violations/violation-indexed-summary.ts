import type { ViolationEngine, ViolationFilters, ViolationSummary } from '@fleetdeck/shared';

import type { NamespaceResultCounts } from '../../sources/violations/violation-source.ts';
import { clusterMatches } from './violation-filter.ts';
import { byBusiestNamespace, byCellOrder, heatMapInfo, ord, type CutSummary } from './violation-heat-map.ts';
import {
  ENGINES,
  policyNames,
  SEVERITIES,
  type ClusterIndex,
  type Counts,
  type HeatCell,
  type NamespaceCounts,
} from './violation-index.ts';
import { inNameOrder, type ScopedMeta } from './violation-scope.ts';
import { topK } from './violation-top.ts';
import { violationWork } from './violation-work.ts';

type NamespaceRow = ViolationSummary['byNamespace'][number];

/** A cluster's part of the summary: the counts the person sees of it (all of it, or their namespaces). */
interface ClusterPart {
  cluster: string;
  total: number;
  counts: readonly Counts[];
}

/** The heat-map cells of a cluster part: its precomputed cells when one set of counts covers it, else summed per (policy, engine). */
function cellsOf(part: ClusterPart): readonly HeatCell[] {
  if (part.counts.length === 1) return part.counts[0]!.cells;
  const merged = new Map<string, { policy: string; engine: ViolationEngine; cluster: string; count: number }>();
  for (const c of part.counts) {
    for (const cell of c.cells) {
      const key = `${cell.engine}\u0000${cell.policy}`;
      const m = merged.get(key);
      if (m) m.count += cell.count;
      else merged.set(key, { ...cell });
    }
  }
  return [...merged.values()];
}

/** The part of a cluster (parts are in name order: a binary search). */
function partOf(parts: readonly ClusterPart[], cluster: string): ClusterPart {
  let lo = 0;
  let hi = parts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (parts[mid]!.cluster < cluster) lo = mid + 1;
    else hi = mid;
  }
  return parts[lo]!;
}

/** Kyverno's per-namespace counts grouped by cluster (the person's, under the filters). */
function byClusterOf(counts: readonly NamespaceResultCounts[]): Map<string, NamespaceResultCounts[]> {
  const out = new Map<string, NamespaceResultCounts[]>();
  for (const n of counts) {
    let list = out.get(n.cluster);
    if (!list) out.set(n.cluster, (list = []));
    list.push(n);
  }
  return out;
}

/** One cluster's namespace rows in name order: its visible namespaces with violations, plus Kyverno's counts. */
function namespaceRows(
  cluster: string,
  visible: readonly NamespaceCounts[],
  kyverno: readonly NamespaceResultCounts[] | undefined,
): readonly NamespaceRow[] {
  // Without Kyverno counts the index's rows are the answer as they are.
  if (!kyverno) return visible.map((n) => n.row);
  const byName = new Map(visible.map((n) => [n.namespace, { ...n.row }]));
  for (const n of kyverno) {
    let row = byName.get(n.namespace);
    if (!row)
      byName.set(n.namespace, (row = { cluster, namespace: n.namespace, pass: 0, warn: 0, fail: 0, error: 0, skip: 0, violations: 0 }));
    row.pass += n.pass;
    row.warn += n.warn;
    row.fail += n.fail;
    row.error += n.error;
    row.skip += n.skip;
  }
  const rows = [...byName.values()];
  return rows.length === visible.length ? rows : rows.sort((a, b) => ord(a.namespace, b.namespace));
}

/**
 * The summary from per-cluster and per-namespace counts, for filters that do not look
 * inside rows (cluster, tenant, env, namespace), cut to `limits`: a cluster the person sees
 * whole adds its precomputed counts, a namespace-limited one the counts of the namespaces
 * they may see. No row is touched, nothing is sorted whole: clusters are walked in name
 * order (so namespace rows come out in order), and only the busiest policies, clusters and
 * namespaces are ranked; only the heat map's clusters have their cells gathered. `meta` is
 * already cut to the person and the filters. The same answer as `summarize` over the
 * person's rows, then `cutSummary` (tested against it).
 */
export function summarizeIndexed(
  index: ReadonlyMap<string, ClusterIndex>,
  meta: ScopedMeta,
  f: ViolationFilters,
  limits: { heatMap: number; namespaces: number },
): CutSummary {
  const severity = SEVERITIES.map(() => 0);
  const engine = ENGINES.map(() => 0);
  const tenant = new Map<string, number>();
  const perPolicy: number[] = policyNames.map(() => 0);
  const parts: ClusterPart[] = [];
  const byNamespace: NamespaceRow[] = [];
  const kyverno = meta.namespaceCounts.length > 0 ? byClusterOf(meta.namespaceCounts) : undefined;
  const cutsClusters = f.cluster !== undefined || f.tenant !== undefined || f.env !== undefined;
  let total = 0;
  let merged = 0;
  const add = (c: Counts) => {
    merged += c.policyIds.length;
    for (let i = 0; i < severity.length; i++) severity[i]! += c.severity[i]!;
    for (let i = 0; i < engine.length; i++) engine[i]! += c.engine[i]!;
    const { policyIds, policyCounts } = c;
    for (let i = 0; i < policyIds.length; i++) perPolicy[policyIds[i]!]! += policyCounts[i]!;
  };
  for (const [name, reach] of inNameOrder(meta.reach)) {
    const ci = index.get(name);
    const k = kyverno?.get(name);
    let visible: readonly NamespaceCounts[] = [];
    if (ci && (!cutsClusters || clusterMatches(meta.reach, name, f))) {
      merged += ci.namespaceList.length;
      let counts: readonly Counts[];
      let clusterTotal = 0;
      if (reach.whole && f.namespace === undefined) {
        // Seen whole: the cluster's own counts, as they are.
        visible = ci.namespaceList;
        counts = [ci.all];
        add(ci.all);
        clusterTotal = ci.all.total;
      } else {
        visible = ci.namespaceList.filter(
          (n) => (reach.whole || reach.inNamespace(n.namespace)) && (f.namespace === undefined || n.namespace === f.namespace),
        );
        counts = visible.map((n) => n.counts);
        for (const c of counts) {
          add(c);
          clusterTotal += c.total;
        }
      }
      if (clusterTotal > 0) {
        total += clusterTotal;
        tenant.set(reach.cluster.tenant, (tenant.get(reach.cluster.tenant) ?? 0) + clusterTotal);
        parts.push({ cluster: name, total: clusterTotal, counts });
      }
    }
    if (!k) for (const n of visible) byNamespace.push(n.row);
    else for (const row of namespaceRows(name, visible, k)) byNamespace.push(row);
  }
  violationWork.mergedCounts += merged;

  const policyTotals: [string, number][] = [];
  for (let id = 0; id < perPolicy.length; id++) if (perPolicy[id]! > 0) policyTotals.push([policyNames[id]!, perPolicy[id]!]);
  const heatMap = heatMapInfo(
    policyTotals,
    parts.map((p) => [p.cluster, p.total]),
    limits.heatMap,
  );
  const topPolicies = heatMap.cut ? new Set(heatMap.policyTotals.map((p) => p.policy)) : undefined;
  const cells: HeatCell[] = [];
  for (const { cluster } of heatMap.clusterTotals) {
    for (const cell of cellsOf(partOf(parts, cluster))) if (!topPolicies || topPolicies.has(cell.policy)) cells.push(cell);
  }
  let namespaceRowsKept = byNamespace;
  const namespacesCut = byNamespace.length > limits.namespaces;
  if (namespacesCut) {
    namespaceRowsKept = topK(byNamespace, limits.namespaces, byBusiestNamespace).sort(
      (a, b) => ord(a.cluster, b.cluster) || ord(a.namespace, b.namespace),
    );
  }
  return {
    core: {
      total,
      byPolicyCluster: cells.sort(byCellOrder),
      bySeverity: SEVERITIES.flatMap((s, i) => (severity[i]! > 0 ? [{ severity: s, count: severity[i]! }] : [])),
      byEngine: ENGINES.flatMap((e, i) => (engine[i]! > 0 ? [{ engine: e, count: engine[i]! }] : [])).sort((a, b) =>
        ord(a.engine, b.engine),
      ),
      byTenant: [...tenant].map(([t, count]) => ({ tenant: t, count })).sort((a, b) => b.count - a.count || ord(a.tenant, b.tenant)),
      byNamespace: namespaceRowsKept,
      truncations: [...meta.truncations],
      feeds: [...meta.feeds],
      errors: [...meta.errors],
    },
    heatMap,
    namespaces: { total: byNamespace.length, cut: namespacesCut },
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
