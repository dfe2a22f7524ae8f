import type { FleetHealthPanel, HealthSeries, Sample } from '@fleetdeck/shared';

import type { ChartRow, ChartSeries, ChartValue } from '../../components/chart-types.ts';

/**
 * Rows by time, merging several sample lists into one table the chart can read. Frozen: the
 * chart keeps its data in its store (Immer), which otherwise walks and freezes every row of
 * every chart on each change — 20–25 ms of a range change over nine panels (Chromium profile).
 */
function mergeRows(columns: { key: string; points: readonly (readonly [number, ChartValue])[] }[]): readonly ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const { key, points } of columns) {
    for (const [t, v] of points) {
      let row = rows.get(t);
      if (!row) {
        row = { t };
        rows.set(t, row);
      }
      row[key] = v;
    }
  }
  return Object.freeze([...rows.values()].sort((a, b) => a.t - b.t));
}

const finite = (s: Sample): boolean => Number.isFinite(s[1]);

/**
 * A fleet panel as a chart: the p50–p95 band across clusters, the median line, and the
 * worst clusters (worst first) as their own lines.
 */
export function fleetChart(panel: FleetHealthPanel): { rows: readonly ChartRow[]; series: ChartSeries[] } {
  const series: ChartSeries[] = [
    { key: 'band', name: 'Fleet p50–p95', kind: 'band', color: 0 },
    { key: 'p50', name: 'Fleet median', kind: 'median', color: 0 },
    ...panel.worst.map((w, i): ChartSeries => ({ key: `w${i}`, name: w.cluster, kind: 'line', color: i + 1 })),
  ];
  const rows = mergeRows([
    // The band is drawn low to high whichever way the panel's "worse" points.
    { key: 'band', points: panel.band.map((b) => [b.t, [Math.min(b.p50, b.p95), Math.max(b.p50, b.p95)]] as const) },
    { key: 'p50', points: panel.band.map((b) => [b.t, b.p50] as const) },
    ...panel.worst.map((w, i) => ({ key: `w${i}`, points: w.points.filter(finite) })),
  ]);
  return { rows, series };
}

/** One cluster's panel as a chart: a line per series (one, unless the query splits it). */
export function clusterChart(series: readonly HealthSeries[]): { rows: readonly ChartRow[]; series: ChartSeries[] } {
  return {
    rows: mergeRows(series.map((s, i) => ({ key: `s${i}`, points: s.samples.filter(finite) }))),
    series: series.map((s, i): ChartSeries => ({ key: `s${i}`, name: s.cluster, kind: 'line', color: i })),
  };
}

/** The chart's time axis: the answer's window, so an empty stretch reads as "no data", not as a zoom. */
export function timeDomain(window: { from: string; to: string }): [number, number] {
  return [Date.parse(window.from) / 1000, Date.parse(window.to) / 1000];
}
