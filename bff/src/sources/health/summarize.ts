import { worstHealthRows, type FleetHealthPanel, type HealthBandPoint, type HealthPanelDef, type Sample } from '@fleetdeck/shared';

/** One panel's series, one per cluster, finite values in time order. */
export type ClusterSeries = ReadonlyMap<string, readonly Sample[]>;

/** Prometheus' `quantile` over sorted values: linear interpolation between ranks φ·(n−1). */
export function quantileSorted(sorted: readonly number[], phi: number): number {
  if (sorted.length === 0) return NaN;
  const rank = phi * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** The fleet's spread at each time some cluster reported: p50, p95, min, max and how many clusters. */
export function quantileBand(series: ClusterSeries): HealthBandPoint[] {
  const byTime = new Map<number, number[]>();
  for (const samples of series.values()) {
    for (const [t, v] of samples) {
      const at = byTime.get(t);
      if (at) at.push(v);
      else byTime.set(t, [v]);
    }
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, values]) => {
      values.sort((a, b) => a - b);
      return {
        t,
        p50: quantileSorted(values, 0.5),
        p95: quantileSorted(values, 0.95),
        min: values[0]!,
        max: values.at(-1)!,
        n: values.length,
      };
    });
}

/** Each cluster's latest value and its time. */
export function latestTable(series: ClusterSeries): FleetHealthPanel['table'] {
  const rows: FleetHealthPanel['table'] = [];
  for (const [cluster, samples] of series) {
    const last = samples.at(-1);
    if (last) rows.push({ cluster, value: last[1], at: last[0] });
  }
  return rows.sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
}

/**
 * The `n` worst clusters by latest value (highest or lowest, per the panel), worst first;
 * ties by name so the answer is stable. A cluster whose latest sample is older than the
 * others' still counts with that value (the table shows when it was).
 */
export function worstClusters(
  series: ClusterSeries,
  table: FleetHealthPanel['table'],
  worse: HealthPanelDef['worse'],
  n: number,
): FleetHealthPanel['worst'] {
  return worstHealthRows(table, worse, n).map(({ cluster }) => ({ cluster, points: [...(series.get(cluster) ?? [])] }));
}

/** Band, worst clusters and table of one panel's series. */
export function summarize(
  series: ClusterSeries,
  worse: HealthPanelDef['worse'],
  worstN: number,
): Pick<FleetHealthPanel, 'band' | 'worst' | 'table'> {
  const table = latestTable(series);
  return { band: quantileBand(series), worst: worstClusters(series, table, worse, worstN), table };
}
