import type { ViolationSummary } from '@fleetdeck/shared';

import type { HeatCell } from './violation-index.ts';
import { topK } from './violation-top.ts';

export type HeatMapInfo = NonNullable<ViolationSummary['heatMap']>;
type NamespaceRow = ViolationSummary['byNamespace'][number];
type Core = Omit<ViolationSummary, 'heatMap' | 'namespaces' | 'countsOnly'>;

/** A summary with its heat map and namespace rows cut, and what the cuts left out. */
export interface CutSummary {
  core: Core;
  heatMap: HeatMapInfo;
  namespaces: { total: number; cut: boolean };
}

/** Ordinal, not locale-aware: names are Kubernetes names. */
export const ord = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Busiest first, then by name: how the heat map ranks policies and clusters. */
export const byTotal = (a: readonly [string, number], b: readonly [string, number]) => b[1] - a[1] || ord(a[0], b[0]);

/** The heat map's order: busiest cell first, then policy, cluster and engine (a total order: answers are repeatable). */
export function byCellOrder<T extends Pick<HeatCell, 'policy' | 'cluster' | 'engine' | 'count'>>(a: T, b: T): number {
  return b.count - a.count || ord(a.policy, b.policy) || ord(a.cluster, b.cluster) || ord(a.engine, b.engine);
}

/** How the page ranks namespaces: most violations, then most fails, then cluster and name. */
export const byBusiestNamespace = (a: NamespaceRow, b: NamespaceRow) =>
  b.violations - a.violations || b.fail - a.fail || ord(a.cluster, b.cluster) || ord(a.namespace, b.namespace);

/** The extent of a heat map from its policy and cluster totals, with the busiest `limit` of each. */
export function heatMapInfo(policies: readonly [string, number][], clusters: readonly [string, number][], limit: number): HeatMapInfo {
  return {
    policies: policies.length,
    clusters: clusters.length,
    cut: policies.length > limit || clusters.length > limit,
    policyTotals: topK(policies, limit, byTotal).map(([policy, count]) => ({ policy, count })),
    clusterTotals: topK(clusters, limit, byTotal).map(([cluster, count]) => ({ cluster, count })),
  };
}

/**
 * The cells of the busiest `limit` policies (by name, both engines summed, as the page
 * draws them) × busiest `limit` clusters, sorted; and the map's extent. Unsorted cells in,
 * so a large fleet sorts only what it sends.
 */
export function heatMapOf<T extends HeatCell>(cells: readonly T[], limit: number): { cells: T[]; heatMap: HeatMapInfo } {
  const policies = new Map<string, number>();
  const clusters = new Map<string, number>();
  for (const c of cells) {
    policies.set(c.policy, (policies.get(c.policy) ?? 0) + c.count);
    clusters.set(c.cluster, (clusters.get(c.cluster) ?? 0) + c.count);
  }
  const heatMap = heatMapInfo([...policies], [...clusters], limit);
  let kept: T[] = [...cells];
  if (heatMap.cut) {
    const p = new Set(heatMap.policyTotals.map((x) => x.policy));
    const c = new Set(heatMap.clusterTotals.map((x) => x.cluster));
    kept = kept.filter((x) => p.has(x.policy) && c.has(x.cluster));
  }
  return { cells: kept.sort(byCellOrder), heatMap };
}

/**
 * The `limit` namespaces with the most violations, then fails (as the page ranks them),
 * kept in their cluster, namespace order: a fleet of 1,000 clusters has thousands.
 */
export function busiestNamespaces(rows: readonly NamespaceRow[], limit: number): { rows: NamespaceRow[]; cut: boolean } {
  if (rows.length <= limit) return { rows: [...rows], cut: false };
  const keep = new Set(topK(rows, limit, byBusiestNamespace));
  return { rows: rows.filter((r) => keep.has(r)), cut: true };
}

/** Cuts a whole summary (heat map in `byPolicyCluster`, namespaces in `byNamespace`) to the limits. */
export function cutSummary(full: Core, limits: { heatMap: number; namespaces: number }): CutSummary {
  const map = heatMapOf(full.byPolicyCluster, limits.heatMap);
  const namespaces = busiestNamespaces(full.byNamespace, limits.namespaces);
  return {
    core: { ...full, byPolicyCluster: map.cells, byNamespace: namespaces.rows },
    heatMap: map.heatMap,
    namespaces: { total: full.byNamespace.length, cut: namespaces.cut },
  };
}
