import type { ViolationSummary } from '@fleetdeck/shared';

import type { HeatCell } from './violation-index.ts';

type HeatMapInfo = NonNullable<ViolationSummary['heatMap']>;
type NamespaceRow = ViolationSummary['byNamespace'][number];

/** Ordinal, not locale-aware: names are Kubernetes names. */
const ord = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function busiest(totals: Map<string, number>, limit: number): [string, number][] {
  return [...totals].sort((a, b) => b[1] - a[1] || ord(a[0], b[0])).slice(0, limit);
}

/** The heat map's order: busiest cell first, then policy, cluster and engine (a total order: answers are repeatable). */
export function byCellOrder<T extends Pick<HeatCell, 'policy' | 'cluster' | 'engine' | 'count'>>(a: T, b: T): number {
  return b.count - a.count || ord(a.policy, b.policy) || ord(a.cluster, b.cluster) || ord(a.engine, b.engine);
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
  const topPolicies = busiest(policies, limit);
  const topClusters = busiest(clusters, limit);
  const cut = policies.size > limit || clusters.size > limit;
  let kept: T[] = [...cells];
  if (cut) {
    const p = new Set(topPolicies.map(([name]) => name));
    const c = new Set(topClusters.map(([name]) => name));
    kept = kept.filter((x) => p.has(x.policy) && c.has(x.cluster));
  }
  return {
    cells: kept.sort(byCellOrder),
    heatMap: {
      policies: policies.size,
      clusters: clusters.size,
      cut,
      policyTotals: topPolicies.map(([policy, count]) => ({ policy, count })),
      clusterTotals: topClusters.map(([cluster, count]) => ({ cluster, count })),
    },
  };
}

/**
 * The `limit` namespaces with the most violations, then fails (as the page ranks them),
 * kept in their cluster, namespace order: a fleet of 1,000 clusters has thousands.
 */
export function busiestNamespaces(rows: readonly NamespaceRow[], limit: number): { rows: NamespaceRow[]; cut: boolean } {
  if (rows.length <= limit) return { rows: [...rows], cut: false };
  const keep = new Set(
    [...rows]
      .sort((a, b) => b.violations - a.violations || b.fail - a.fail || ord(a.cluster, b.cluster) || ord(a.namespace, b.namespace))
      .slice(0, limit),
  );
  return { rows: rows.filter((r) => keep.has(r)), cut: true };
}
