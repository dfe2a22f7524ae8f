import { worstHealthRows, type FleetHealthPanel, type HealthBandPoint, type HealthPanelDef } from '@fleetdeck/shared';

import { CLUSTER_LABEL, promAccess, type PromAccess } from '../../access/promql/index.ts';

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

/** The `n` worst clusters by latest value, in the order of the page's table (`worstHealthRows`). */
export function worstOf(table: FleetHealthPanel['table'], worse: HealthPanelDef['worse'], n: number): string[] {
  return worstHealthRows(table, worse, n).map((r) => r.cluster);
}

/** `access` cut to `clusters` (never widened): the worst clusters' series run under it. */
export function narrowAccess(access: PromAccess, clusters: readonly string[]): PromAccess {
  const wanted = new Set(clusters);
  return promAccess(access.groups.map((g) => ({ clusters: g.clusters.filter((c) => wanted.has(c)), namespaces: g.namespaces })));
}

/** The label that names which part of a merged panel query a row answers. */
export const PART_LABEL = 'fleetdeck_part';
/** The parts besides the band figures: every cluster's latest value, and the worst clusters' series. */
export const LATEST_PART = 'latest';
export const WORST_PART = 'worst';

/** When a merged query is evaluated: the range query's grid, whose last step is the table's instant. */
export interface MergedWindow {
  from: number;
  to: number;
  step: number;
}

/** The last step a range query over `w` evaluates (`to` itself when the span is a whole number of steps). */
export function lastStep(w: MergedWindow): number {
  return w.from + Math.floor((w.to - w.from) / w.step + 1e-9) * w.step;
}

/** Seconds as PromQL writes a number: no exponent, at most millisecond precision (Prometheus' resolution). */
const num = (n: number) => (Math.round(n * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '');

const labelled = (expr: string, part: string) => `label_replace(${expr}, "${PART_LABEL}", "${part}", "", "")`;

/**
 * The band's five figures across clusters as ONE range query, each row labelled with its figure.
 * `mirrored`: the figures of `c - series` for any `c` the same for every cluster (an age, from a
 * recorded timestamp): its p95 is `c -` the timestamps' 5th percentile, its min `c -` their max.
 * Prometheus' quantile interpolates between ranks q·(n−1), so the mirror is exact. The reader
 * subtracts the figures from `c` (recorded-fleet-band.ts).
 */
export function mergedBandQuery(series: string, options: { mirrored?: boolean } = {}): string {
  const s = `(${series})`;
  const m = options.mirrored === true;
  const figures: Record<BandFigure, string> = {
    p50: `quantile(0.5, ${s})`,
    p95: `quantile(${m ? '0.05' : '0.95'}, ${s})`,
    min: `${m ? 'max' : 'min'}(${s})`,
    max: `${m ? 'min' : 'max'}(${s})`,
    n: `count(${s})`,
  };
  // Each figure is one label-less series; labelled, their label sets differ, so `or` is their union.
  return BAND_FIGURES.map((f) => labelled(figures[f], f)).join(' or ');
}

/**
 * One panel's whole fleet summary as ONE range query over its per-cluster series (`series`, a
 * recorded series), each part labelled `fleetdeck_part` and joined with `or`:
 * - the band (`mergedBandQuery`);
 * - `latest`: every cluster's value at the last step only (the `and on()` with a one-element
 *   vector that exists only there) — the table, otherwise an instant query at that time;
 * - `worst`: the whole range of the `worstN` worst clusters, ranked by their value at the last
 *   step (`bottomk`/`topk` over a one-point subquery pinned there with `@`, which Prometheus
 *   evaluates once, not at every step). Ties at the ranking's edge are Prometheus' pick.
 * Fewest round trips, but Prometheus evaluates `latest` and `worst` over every cluster at every
 * step (PromQL shares no work between parts): more CPU than a separate instant query for the
 * table and a range query cut to the worst clusters (`FleetPlanKind` 'band').
 * Query text only: it goes through the enforcer like any other query, every selector scoped.
 */
export function mergedPanelQuery(series: string, worse: HealthPanelDef['worse'], worstN: number, window: MergedWindow): string {
  const s = `(${series})`;
  const last = lastStep(window);
  const step = `${Math.max(1, Math.round(window.step))}s`;
  // Half a step below the last: a float grid that lands a hair under `to` still counts as the last step.
  const atLast = `on() (vector(time()) >= ${num(last - window.step / 2)})`;
  const parts = [mergedBandQuery(series), labelled(`${s} and ${atLast}`, LATEST_PART)];
  const n = Math.floor(worstN);
  if (n > 0) {
    const rank = worse === 'higher' ? 'topk' : 'bottomk';
    parts.push(labelled(`${s} and on(${CLUSTER_LABEL}) ${rank}(${n}, last_over_time(${s}[${step}:${step}] @ ${num(last)}))`, WORST_PART));
  }
  return parts.join(' or ');
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
