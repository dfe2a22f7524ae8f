import type { ViolationSummary } from '@fleetdeck/shared';

export interface HeatMapData {
  policies: string[];
  clusters: string[];
  /** Count per `${policy}\u0000${cluster}`; absent means 0. */
  counts: Map<string, number>;
  /** Cells whose number comes (partly) from metrics of a cluster without a connection: "counts only". */
  countsOnly: Set<string>;
  max: number;
  /** How many policies and clusters there are in all (the map shows the busiest ones). */
  totalPolicies: number;
  totalClusters: number;
}

export const cellKey = (policy: string, cluster: string) => `${policy}\u0000${cluster}`;

function busiestFirst(totals: Map<string, number>, limit: number): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([name]) => name);
}

type SummaryCells = Pick<ViolationSummary, 'byPolicyCluster' | 'heatMap' | 'countsOnly'>;

/**
 * Policies × clusters, busiest first on both axes, at most `limit` of each (a map of 1,000
 * columns reads as noise). The server may already have cut the map to its busiest policies
 * and clusters (`heatMap`): its totals then rank the axes and say how many there are.
 * Counts-only cells (clusters without a connection) join the map, marked.
 */
export function heatMapData(summary: SummaryCells | SummaryCells['byPolicyCluster'], limit = 30): HeatMapData {
  const s: SummaryCells = Array.isArray(summary) ? { byPolicyCluster: summary } : summary;
  const counts = new Map<string, number>();
  const countsOnly = new Set<string>();
  const byPolicy = new Map<string, number>();
  const byCluster = new Map<string, number>();
  const add = (c: { policy: string; cluster: string; count: number }, fromMetrics: boolean) => {
    // A policy name can come from both engines: one row, summed.
    const key = cellKey(c.policy, c.cluster);
    counts.set(key, (counts.get(key) ?? 0) + c.count);
    if (fromMetrics) countsOnly.add(key);
    byPolicy.set(c.policy, (byPolicy.get(c.policy) ?? 0) + c.count);
    byCluster.set(c.cluster, (byCluster.get(c.cluster) ?? 0) + c.count);
  };
  for (const c of s.byPolicyCluster) add(c, false);
  for (const c of s.countsOnly?.byPolicyCluster ?? []) add(c, true);
  // The server's totals count cells it did not send: they rank the axes.
  for (const t of s.heatMap?.policyTotals ?? []) byPolicy.set(t.policy, Math.max(byPolicy.get(t.policy) ?? 0, t.count));
  for (const t of s.heatMap?.clusterTotals ?? []) byCluster.set(t.cluster, Math.max(byCluster.get(t.cluster) ?? 0, t.count));
  return {
    policies: busiestFirst(byPolicy, limit),
    clusters: busiestFirst(byCluster, limit),
    counts,
    countsOnly,
    max: Math.max(0, ...counts.values()),
    totalPolicies: Math.max(byPolicy.size, s.heatMap?.policies ?? 0),
    totalClusters: Math.max(byCluster.size, s.heatMap?.clusters ?? 0),
  };
}

/** Four steps of colour over (0, max], and 0 on its own; each step's range is said in the legend. */
export const HEAT_STEPS = 4;

export function heatStep(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(HEAT_STEPS, Math.max(1, Math.ceil((count / max) * HEAT_STEPS)));
}

/** The legend's text for each step: "0", "1–3", "4–6", … (ranges of whole counts). */
export function heatLegend(max: number): { step: number; text: string }[] {
  const out = [{ step: 0, text: '0' }];
  let from = 1;
  for (let step = 1; step <= HEAT_STEPS; step++) {
    const to = Math.floor((max * step) / HEAT_STEPS);
    if (to < from) continue;
    out.push({ step, text: from === to ? String(to) : `${from}–${to}` });
    from = to + 1;
  }
  return out;
}
