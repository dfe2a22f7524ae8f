import type { ViolationTrends } from '@fleetdeck/shared';

import type { ChartRow, ChartSeries } from '../../components/chart-types.ts';

const RANGE_SECONDS: Record<ViolationTrends['range'], number> = { '1h': 3_600, '6h': 21_600, '24h': 86_400, '7d': 604_800 };

/** The trends as chart rows (one per time) and one line per series; keys are `s0…`, never labels. */
export function trendChart(trends: ViolationTrends): { rows: ChartRow[]; series: ChartSeries[]; domain: [number, number] } {
  const rows = new Map<number, ChartRow>();
  trends.series.forEach((s, i) => {
    for (const [t, v] of s.points) {
      if (!Number.isFinite(v)) continue;
      let row = rows.get(t);
      if (!row) rows.set(t, (row = { t }));
      row[`s${i}`] = v;
    }
  });
  const sorted = [...rows.values()].sort((a, b) => a.t - b.t);
  const end = sorted.at(-1)?.t ?? Math.floor(Date.now() / 1000);
  return {
    rows: sorted,
    series: trends.series.map((s, i): ChartSeries => ({ key: `s${i}`, name: s.label, kind: 'line', color: i })),
    domain: [end - RANGE_SECONDS[trends.range], end],
  };
}

/** The latest value of each series, for the chart's accessible name. */
export function latestValues(trends: ViolationTrends): string {
  return trends.series
    .map((s) => {
      const last = s.points.at(-1);
      return last ? `${s.label} ${last[1].toLocaleString('en')}` : `${s.label} no data`;
    })
    .join(', ');
}
