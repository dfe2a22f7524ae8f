import type { FleetHealthPanel, HealthPanel } from '@fleetdeck/shared';

import { formatValue } from './format-unit.ts';

const count = new Intl.NumberFormat('en');

/**
 * The words a fleet chart is read as: what the fleet looks like at the latest time and
 * which clusters are worst. `over` is e.g. "6h" or a custom span.
 */
export function fleetSummary(panel: FleetHealthPanel, over: string): string {
  const { def, band, worst, table } = panel;
  const f = (v: number) => formatValue(def.unit, v);
  const last = band.at(-1);
  if (!last) return `${def.title} over ${over}: no data.`;
  const parts = [
    `${def.title} over ${over}: ${count.format(last.n)} clusters reporting; median now ${f(last.p50)}, 95th percentile ${f(last.p95)}, range ${f(last.min)} to ${f(last.max)}`,
  ];
  // Only the worst clusters' latest values: a map of the whole table would be 1,000 entries per panel per redraw.
  const wanted = new Set(worst.map((w) => w.cluster));
  const latest = new Map<string, number>();
  for (const r of table) if (wanted.has(r.cluster)) latest.set(r.cluster, r.value);
  const named = worst.map((w) => {
    const v = latest.get(w.cluster) ?? w.points.at(-1)?.[1];
    return v === undefined ? w.cluster : `${w.cluster} ${f(v)}`;
  });
  if (named.length > 0) parts.push(`worst: ${named.join(', ')}`);
  return `${parts.join('; ')}.`;
}

/** One cluster's panel in words: "Nodes ready over 6h: now 2, min 1, max 3." */
export function clusterSummary(panel: HealthPanel, over: string): string {
  // A loop, not Math.min(...values): a 7-day series can hold 11,000 points.
  let min = Infinity;
  let max = -Infinity;
  for (const s of panel.series) {
    for (const [, v] of s.samples) {
      if (!Number.isFinite(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  const latest = panel.series[0]?.samples.at(-1)?.[1];
  if (latest === undefined || min > max) return `${panel.title} over ${over}: no data.`;
  const f = (v: number) => formatValue(panel.unit, v);
  return `${panel.title} over ${over}: now ${f(latest)}, min ${f(min)}, max ${f(max)}.`;
}
