import type { FleetHealthPanel, HealthPanelDef } from '@fleetdeck/shared';

import { CLUSTER_LABEL, type PromAccess } from '../../access/promql/index.ts';
import type { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { BAND_FIGURES, bandFrom, fleetPanelPlan, narrowAccess, worstOf, type BandFigure } from './fleet-queries.ts';
import { byCluster, enforcedQuery, type PromRow } from './prometheus-panels.ts';
import type { ResolvedWindow } from './window.ts';

/** One panel's summary and the upstream's warnings (raw: the route makes them safe to show). */
export type FleetPanelSummary = Pick<FleetHealthPanel, 'band' | 'worst' | 'table'> & { warnings: string[] };

/** The one series an aggregate without `by` answers, as time → value (finite values only). */
function oneSeries(rows: readonly PromRow[]): Map<number, number> {
  const out = new Map<number, number>();
  // Label-less: a figure over the whole (enforced) fleet; anything else is not this query's answer.
  const row = rows.find((r) => Object.keys(r.metric).length === 0);
  for (const [t, v] of row?.values ?? []) {
    const n = Number(v);
    if (Number.isFinite(n)) out.set(t, n);
  }
  return out;
}

/** Each cluster's value at the instant, sorted by cluster. */
function tableOf(rows: readonly PromRow[]): FleetHealthPanel['table'] {
  const seen = new Map<string, { cluster: string; value: number; at: number }>();
  for (const row of rows) {
    const cluster = Object.hasOwn(row.metric, CLUSTER_LABEL) ? row.metric[CLUSTER_LABEL] : undefined;
    if (cluster === undefined || seen.has(cluster) || !row.value) continue;
    const value = Number(row.value[1]);
    if (Number.isFinite(value)) seen.set(cluster, { cluster, value, at: row.value[0] });
  }
  return [...seen.values()].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
}

/**
 * One panel fleet-wide with Prometheus doing the fleet-wide work: the band as five
 * one-series range queries, the table as one instant query at the window's end, and the
 * worst `worstN` clusters (by that latest value, per `def.worse`) as one range query cut to
 * them. Every query runs through the enforcer under `access` and the answer filter.
 */
export async function prometheusFleetPanel(
  client: PrometheusClient,
  def: HealthPanelDef,
  expr: string,
  access: PromAccess,
  window: ResolvedWindow,
  worstN: number,
): Promise<FleetPanelSummary> {
  const plan = fleetPanelPlan(expr);
  const [table, ...figures] = await Promise.all([
    enforcedQuery(client, plan.table, access, { at: window.to }),
    ...BAND_FIGURES.map((f) => enforcedQuery(client, plan.band[f], access, window)),
  ]);
  const rows = tableOf(table.rows);
  const band = bandFrom(
    Object.fromEntries(BAND_FIGURES.map((f, i) => [f, oneSeries(figures[i]!.rows)])) as Record<BandFigure, Map<number, number>>,
  );
  const warnings = [table, ...figures].flatMap((a) => a.warnings);
  const names = worstOf(rows, def.worse, worstN);
  let worst: FleetPanelSummary['worst'] = [];
  if (names.length > 0) {
    const answer = await enforcedQuery(client, expr, narrowAccess(access, names), window);
    const series = byCluster(answer.rows);
    worst = names.map((cluster) => ({ cluster, points: series.get(cluster) ?? [] }));
    warnings.push(...answer.warnings);
  }
  return { band, worst, table: rows, warnings: [...new Set(warnings)] };
}
