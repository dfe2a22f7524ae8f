import { ViolationSeverity, type CountsOnlyCount, type ViolationFilters, type ViolationSummary } from '@fleetdeck/shared';

import { clusterMatches } from './violation-filter.ts';
import { heatMapOf } from './violation-heat-map.ts';
import { sees, type ClusterReach } from './violation-scope.ts';

type CountsOnlySummary = NonNullable<ViolationSummary['countsOnly']>;

/**
 * The counts-only figures one person may see under the filters. The same cut as rows: a
 * cluster-wide figure (Gatekeeper's gauge, `cluster_policy_report_result`) only for people
 * who see the cluster whole, `policy_report_result` only in their namespaces. A filter on
 * a resource (kind, free text) matches no figure: they have no resources.
 */
export function countsOnlyVisible(
  counts: readonly CountsOnlyCount[],
  reach: ReadonlyMap<string, ClusterReach>,
  f: ViolationFilters,
): CountsOnlyCount[] {
  if (f.kind !== undefined || f.q?.trim()) return [];
  return counts.filter(
    (c) =>
      sees(reach, c.cluster, c.namespace) &&
      clusterMatches(reach, c.cluster, f) &&
      (f.engine === undefined || c.engine === f.engine) &&
      (f.policy === undefined || c.policy === f.policy) &&
      (f.severity === undefined || c.severity === f.severity) &&
      (f.action === undefined || c.action === f.action) &&
      (f.namespace === undefined || c.namespace === f.namespace),
  );
}

/** Their heat map (cut like the rows' one) and severities; undefined when there is nothing to show. */
export function countsOnlySummary(visible: readonly CountsOnlyCount[], heatMapLimit: number | undefined): CountsOnlySummary | undefined {
  if (visible.length === 0) return undefined;
  const cells = new Map<string, CountsOnlySummary['byPolicyCluster'][number]>();
  const severity = new Map<string, number>();
  let total = 0;
  for (const c of visible) {
    total += c.count;
    severity.set(c.severity, (severity.get(c.severity) ?? 0) + c.count);
    const key = `${c.cluster}\u0000${c.engine}\u0000${c.policy}\u0000${c.metric}`;
    const cell = cells.get(key);
    if (cell) cell.count += c.count;
    else cells.set(key, { policy: c.policy, engine: c.engine, cluster: c.cluster, count: c.count, metric: c.metric });
  }
  const all = [...cells.values()].filter((c) => c.count > 0);
  return {
    total,
    byPolicyCluster: heatMapOf(all, heatMapLimit ?? Number.MAX_SAFE_INTEGER).cells,
    bySeverity: ViolationSeverity.options.flatMap((s) => (severity.get(s) ? [{ severity: s, count: severity.get(s)! }] : [])),
  };
}
