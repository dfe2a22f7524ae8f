import type { HealthBandPoint } from '@fleetdeck/shared';

import { CLUSTER_LABEL, type PromAccess } from '../../access/promql/index.ts';
import { PrometheusError, type PrometheusClient } from '../prometheus/prometheus-client.ts';
import { BAND_FIGURES, PART_LABEL, bandFrom, type BandFigure } from './fleet-queries.ts';
import type { PromRow } from './prometheus-panels.ts';
import { queryKey, type QueryCache } from './query-cache.ts';
import type { FleetBandRecord } from './recording-rules.ts';
import type { ResolvedWindow } from './window.ts';

/**
 * How far before a window the clusters are checked: a range query's first step reads samples
 * up to the lookback delta before it (5 min by default); an hour covers any lookback operators set.
 */
export const CHECK_MARGIN_SECONDS = 3600;

/**
 * Whether every cluster with `series` in the store over `window` (and the margin before it) is
 * one `access` sees whole. The label-values API answers from the index (a few ms at 1,000
 * clusters). Blocks overlapping the window count whole: a superset, so the check can only
 * refuse more. A partial answer (a Thanos store down) proves nothing, and neither does a failure.
 */
export async function storeWithin(
  client: PrometheusClient,
  series: string,
  access: PromAccess,
  window: Pick<ResolvedWindow, 'from' | 'to'>,
): Promise<boolean> {
  if (access.groups.some((g) => g.namespaces !== '*')) return false;
  let answer;
  try {
    answer = await client.labelValuesRaw(CLUSTER_LABEL, [series], { start: window.from - CHECK_MARGIN_SECONDS, end: window.to });
  } catch (err) {
    if (err instanceof PrometheusError) return false;
    throw err;
  }
  if (answer.warnings.length > 0 || !Array.isArray(answer.data)) return false;
  const seen = new Set(access.groups.flatMap((g) => g.clusters));
  return answer.data.every((cluster) => typeof cluster === 'string' && seen.has(cluster));
}

/**
 * The band from the recorded rows: exactly one row per figure, labelled with it and nothing
 * else (the metric name aside). Anything more — rules evaluated per cluster, or by two
 * unlabelled replicas — is not one fleet's band: undefined, and the enforced plan runs.
 */
export function recordedBand(rows: readonly PromRow[]): HealthBandPoint[] | undefined {
  const figures = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const keys = Object.keys(row.metric).filter((k) => k !== '__name__');
    const part = row.metric[PART_LABEL];
    if (keys.length !== 1 || keys[0] !== PART_LABEL || part === undefined || figures.has(part)) return undefined;
    const values = new Map<number, number>();
    for (const [t, v] of row.values ?? []) {
      const n = Number(v);
      if (Number.isFinite(n)) values.set(t, n);
    }
    figures.set(part, values);
  }
  if (figures.size !== BAND_FIGURES.length || !BAND_FIGURES.every((f) => figures.has(f))) return undefined;
  return bandFrom(Object.fromEntries(BAND_FIGURES.map((f) => [f, figures.get(f)!])) as Record<BandFigure, Map<number, number>>);
}

/**
 * The panel's fleet band as recorded for the whole store (recording-rules.ts, `fleet:…_band`),
 * for a person who sees every cluster the store holds for it in the window — Prometheus then
 * reads five series instead of aggregating every cluster's at each step, and the band is the
 * one the enforced query would give (the same series, aggregated the same way).
 * Callers try it only for people who see the whole inventory (panel-access.ts `everyCluster`).
 * The store is checked after the read, so a cluster whose series arrived before the answer was
 * computed is seen by the check; a read that fails the check is dropped unseen, as the fleet
 * summary's unscoped answers are filtered before anyone sees them (health-source.ts).
 * Undefined — and the caller runs the enforced query — when the check fails, when the rules are
 * not loaded (no rows), or when the rows are not one fleet band.
 */
export async function recordedFleetBand(
  client: PrometheusClient,
  record: FleetBandRecord,
  access: PromAccess,
  window: ResolvedWindow,
  cache?: QueryCache,
): Promise<{ band: HealthBandPoint[]; warnings: string[] } | undefined> {
  if (access.groups.some((g) => g.namespaces !== '*')) return undefined;
  const load = () => client.rangeRaw(record.query, window.from, window.to, window.step);
  let answer;
  try {
    // Shared, like its check's outcome is not: the text holds no scope, and the answer is the same for all who pass.
    answer = await (cache ? cache.get(queryKey(record.query, window), load) : load());
  } catch (err) {
    if (err instanceof PrometheusError) return undefined;
    throw err;
  }
  const { data } = answer;
  if (data.resultType !== 'matrix' || !Array.isArray(data.result) || data.result.length === 0) return undefined;
  const band = recordedBand(data.result);
  if (!band || !(await storeWithin(client, record.series, access, window))) return undefined;
  return { band, warnings: answer.warnings };
}
