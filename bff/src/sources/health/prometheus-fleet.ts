import type { FleetHealthPanel, HealthBandPoint, HealthPanelDef } from '@fleetdeck/shared';

import { CLUSTER_LABEL, type PromAccess } from '../../access/promql/index.ts';
import type { PrometheusClient } from '../prometheus/prometheus-client.ts';
import {
  BAND_FIGURES,
  LATEST_PART,
  PART_LABEL,
  WORST_PART,
  bandFrom,
  fleetPanelPlan,
  lastStep,
  mergedBandQuery,
  mergedPanelQuery,
  narrowAccess,
  worstOf,
  type BandFigure,
} from './fleet-queries.ts';
import { IdentityMemo, memoByIdentity } from '../../lib/identity-memo.ts';
import { byCluster, enforcedQuery, PanelError, type PromRow } from './prometheus-panels.ts';
import type { QueryCache } from './query-cache.ts';
import { recordedFleetBand, type BandReader, type CheckedBandCache } from './recorded-fleet-band.ts';
import type { FleetBandRecord } from './recording-rules.ts';
import { BARE_SERIES, type TableBatcher } from './table-batch.ts';
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
const tableOf = memoByIdentity(tableOfRows);

function tableOfRows(rows: readonly PromRow[]): FleetHealthPanel['table'] {
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
 * How Prometheus summarises a panel over a recorded series:
 * - `band` (default): the band's five figures as ONE range query, the table as one instant
 *   query, then the worst clusters as one range query cut to them — 3 queries;
 * - `single`: everything in ONE range query (`mergedPanelQuery`) — 1 query, more Prometheus CPU;
 * - `perFigure`: the earlier plan, a range query per band figure — 7 queries.
 */
export type FleetPlanKind = 'band' | 'single' | 'perFigure';

/** Upstream queries one panel costs under each plan (the bench reports them per set). */
export const QUERIES_PER_PANEL: Record<FleetPlanKind, number> = { band: 3, single: 1, perFigure: 7 };

export interface FleetPanelOptions {
  plan?: FleetPlanKind;
  cache?: QueryCache | undefined;
  /** The panel's recorded fleet band (plan 'band'): read instead of aggregated when the person sees every cluster in it. */
  fleetBand?: FleetBandRecord | undefined;
  /** Checked bands shared between people (recorded-fleet-band.ts); none: every call reads and checks. */
  fleetBandCache?: CheckedBandCache | undefined;
  /** Table queries of bare recorded series asked together (table-batch.ts); none: each panel asks its own. */
  tables?: TableBatcher | undefined;
  /** Recorded fleet bands read and checked together (recorded-fleet-band.ts); none: each panel reads its own. */
  bands?: BandReader | undefined;
}

type BandAnswer = { band: HealthBandPoint[]; warnings: string[] };

/*
 * A warm request (every answer from the response cache) asks for the same answer objects again:
 * rows filtered per answer and access are the same arrays (prometheus-panels.ts), so what is
 * worked out of them is remembered by their identity — the table, the worst clusters, the access
 * cut to them and their series — and the panel's parts are the same objects as before, which the
 * route writes from remembered JSON text (routes/health-json.ts). At 1,000 clusters that was 8 ms
 * of a warm panel set's BFF CPU. Exact: the same objects give the same result, and nothing
 * outlives the answers it came from.
 */
const worstNames = new IdentityMemo<string[]>();
const narrowed = new IdentityMemo<PromAccess>();
const worstSeries = new IdentityMemo<FleetPanelSummary['worst']>();

/** Runs `query`, or undefined when the enforcer refused it (Prometheus' own refusals still throw). */
async function unlessRefused<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PanelError && err.source === 'access') return undefined;
    throw err;
  }
}

/**
 * One panel fleet-wide with Prometheus doing the fleet-wide work, under `access` (every query
 * enforced, every answer filtered), by `options.plan`. A merged text repeats the series five
 * (or eight) times: with very many clusters or grants it can pass the enforcer's size cap, and
 * then the query-per-figure plan runs instead, each query enforced on its own.
 */
export async function prometheusFleetPanel(
  client: PrometheusClient,
  def: HealthPanelDef,
  expr: string,
  access: PromAccess,
  window: ResolvedWindow,
  worstN: number,
  options: FleetPanelOptions = {},
): Promise<FleetPanelSummary> {
  const plan = options.plan ?? 'band';
  const cache = options.cache;
  if (plan === 'single') {
    const answer = await unlessRefused(() =>
      enforcedQuery(client, mergedPanelQuery(expr, def.worse, worstN, window), access, window, cache),
    );
    if (answer) return { ...mergedSummary(answer.rows, def.worse, worstN, lastStep(window)), warnings: [...new Set(answer.warnings)] };
  }
  let band: Promise<BandAnswer | undefined> | undefined;
  if (plan === 'band') {
    const merged = () =>
      unlessRefused(() => enforcedQuery(client, mergedBandQuery(expr), access, window, cache)).then(
        (a) => a && { band: mergedBand(a.rows), warnings: a.warnings },
      );
    const fleetBand = options.fleetBand;
    band = fleetBand
      ? recordedFleetBand(client, fleetBand, access, window, options.fleetBandCache, options.bands).then((r) => r ?? merged())
      : merged();
  }
  return summaryOf(client, def, expr, access, window, worstN, cache, band, options.tables);
}

/** The merged query's rows, taken apart by their `fleetdeck_part` label. */
export function mergedSummary(
  rows: readonly PromRow[],
  worse: HealthPanelDef['worse'],
  worstN: number,
  last: number,
): Omit<FleetPanelSummary, 'warnings'> {
  const latest: PromRow[] = [];
  const worstRows: PromRow[] = [];
  for (const row of rows) {
    const part = Object.hasOwn(row.metric, PART_LABEL) ? row.metric[PART_LABEL] : undefined;
    if (part === LATEST_PART) latest.push(row);
    else if (part === WORST_PART) worstRows.push(row);
  }
  // The latest part has one point, at the last step: read as the table's instant answer.
  const table = tableOf(
    latest.map((r) => {
      const v = r.values?.at(-1);
      return { metric: r.metric, ...(v && { value: [last, v[1]] as [number, string] }) };
    }),
  );
  const series = byCluster(worstRows);
  // Prometheus picked them by their value at the last step; ordered here as worstOf orders the table.
  const ranked = worstOf(
    table.filter((r) => series.has(r.cluster)),
    worse,
    worstN,
  );
  const rest = [...series.keys()].filter((c) => !ranked.includes(c)).sort();
  const worst = [...ranked, ...rest].slice(0, Math.max(0, worstN)).map((cluster) => ({ cluster, points: series.get(cluster)! }));
  return { band: mergedBand(rows), worst, table };
}

/** The band from a merged answer: each figure is the row labelled with it alone. */
const mergedBand = memoByIdentity(mergedBandOf);

function mergedBandOf(rows: readonly PromRow[]): FleetHealthPanel['band'] {
  const figures = new Map<string, PromRow[]>();
  for (const row of rows) {
    const keys = Object.keys(row.metric);
    const part = row.metric[PART_LABEL];
    if (keys.length === 1 && keys[0] === PART_LABEL && part !== undefined) figures.set(part, [{ metric: {}, values: row.values ?? [] }]);
  }
  return bandFrom(
    Object.fromEntries(BAND_FIGURES.map((f) => [f, oneSeries(figures.get(f) ?? [])])) as Record<BandFigure, Map<number, number>>,
  );
}

/**
 * The table as one instant query at the window's end, the band from `merged` (recorded, or one
 * query) or else five one-series range queries, then the worst `worstN` clusters (by that latest
 * value, per `def.worse`) as one range query cut to them.
 */
async function summaryOf(
  client: PrometheusClient,
  def: HealthPanelDef,
  expr: string,
  access: PromAccess,
  window: ResolvedWindow,
  worstN: number,
  cache: QueryCache | undefined,
  merged: Promise<BandAnswer | undefined> | undefined,
  tables?: TableBatcher,
): Promise<FleetPanelSummary> {
  const plan = fleetPanelPlan(expr);
  // The worst clusters' query needs only the table: it starts when the table is in, not after
  // the band too (a recorded band is read, then checked — two round trips). All three awaited
  // together, so a failure of any is handled (never left as an unhandled rejection).
  const tableAnswer =
    tables && BARE_SERIES.test(plan.table)
      ? tables.table(plan.table, access, window.to)
      : enforcedQuery(client, plan.table, access, { at: window.to }, cache);
  const worstAnswer = tableAnswer.then(async (table) => {
    const rows = tableOf(table.rows);
    const names = worstNames.get([rows], `${def.worse} ${worstN}`, () => worstOf(rows, def.worse, worstN));
    if (names.length === 0) return { worst: [], warnings: [] };
    const answer = await enforcedQuery(
      client,
      expr,
      narrowed.get([access, names], '', () => narrowAccess(access, names)),
      window,
      cache,
    );
    const series = byCluster(answer.rows);
    const worst = worstSeries.get([names, series], '', () => names.map((cluster) => ({ cluster, points: series.get(cluster) ?? [] })));
    return { worst, warnings: answer.warnings };
  });
  const [table, one, worstPart] = await Promise.all([tableAnswer, merged, worstAnswer]);
  let band: HealthBandPoint[];
  const warnings = [...table.warnings];
  if (one) {
    band = one.band;
    warnings.push(...one.warnings);
  } else {
    const figures = await Promise.all(BAND_FIGURES.map((f) => enforcedQuery(client, plan.band[f], access, window, cache)));
    band = bandFrom(
      Object.fromEntries(BAND_FIGURES.map((f, i) => [f, oneSeries(figures[i]!.rows)])) as Record<BandFigure, Map<number, number>>,
    );
    warnings.push(...figures.flatMap((a) => a.warnings));
  }
  const rows = tableOf(table.rows);
  const worst = worstPart.worst;
  warnings.push(...worstPart.warnings);
  return { band, worst, table: rows, warnings: [...new Set(warnings)] };
}
