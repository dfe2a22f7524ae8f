import type { FleetHealthPanel, HealthBandPoint, HealthPanelDef } from '@fleetdeck/shared';

import { promAccess, type PromAccess } from '../../access/promql/index.ts';

/** The band's figures, each a query Prometheus answers with one series for the whole fleet. */
export const BAND_FIGURES = ['p50', 'p95', 'min', 'max', 'n'] as const;
export type BandFigure = (typeof BAND_FIGURES)[number];

/**
 * What Prometheus computes for one panel instead of the BFF, over its recorded per-cluster
 * series: the fleet band as one small range query per figure, and every cluster's latest value
 * as one instant query at the window's end (the table, and the ranking of the worst clusters).
 * Query text only: each still goes through the enforcer for the person before it runs.
 * (Over a raw expression each figure would evaluate the expression again: five times the
 * work of one by-cluster query, so raw expressions are summarised by the BFF instead.)
 */
export interface FleetPanelPlan {
  band: Record<BandFigure, string>;
  table: string;
}

export function fleetPanelPlan(series: string): FleetPanelPlan {
  const s = `(${series})`;
  return {
    band: { p50: `quantile(0.5, ${s})`, p95: `quantile(0.95, ${s})`, min: `min(${s})`, max: `max(${s})`, n: `count(${s})` },
    table: series,
  };
}

/**
 * The `n` worst clusters by latest value, worst first: lowest first where lower is worse
 * (availability), highest first where higher is worse (CPU). Ties by name, so the answer is stable.
 */
export function worstOf(table: FleetHealthPanel['table'], worse: HealthPanelDef['worse'], n: number): string[] {
  const sign = worse === 'higher' ? -1 : 1;
  return [...table]
    .sort((a, b) => sign * (a.value - b.value) || (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0))
    .slice(0, Math.max(0, n))
    .map((r) => r.cluster);
}

/** `access` cut to `clusters` (never widened): the worst clusters' series run under it. */
export function narrowAccess(access: PromAccess, clusters: readonly string[]): PromAccess {
  const wanted = new Set(clusters);
  return promAccess(access.groups.map((g) => ({ clusters: g.clusters.filter((c) => wanted.has(c)), namespaces: g.namespaces })));
}

/** The band from the figures' answers (time → value each): a point wherever some cluster reported. */
export function bandFrom(figures: Record<BandFigure, ReadonlyMap<number, number>>): HealthBandPoint[] {
  const points: HealthBandPoint[] = [];
  for (const [t, n] of [...figures.n].sort(([a], [b]) => a - b)) {
    const p50 = figures.p50.get(t);
    const p95 = figures.p95.get(t);
    const min = figures.min.get(t);
    const max = figures.max.get(t);
    // Figures are evaluated one by one: a sample landing between two of them can leave one without a value.
    if (n <= 0 || p50 === undefined || p95 === undefined || min === undefined || max === undefined) continue;
    points.push({ t, p50, p95, min, max, n });
  }
  return points;
}
