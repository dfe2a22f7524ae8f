import type { HealthBandPoint } from '@fleetdeck/shared';

import { CLUSTER_LABEL, NAMESPACE_LABEL, type PromAccess } from '../../access/promql/index.ts';
import { PrometheusError, type PrometheusClient } from '../prometheus/prometheus-client.ts';
import { BAND_FIGURES, PART_LABEL, bandFrom, type BandFigure } from './fleet-queries.ts';
import type { PromRow } from './prometheus-panels.ts';
import { IdentityMemo } from '../../lib/identity-memo.ts';
import type { TtlCache } from '../../lib/ttl-cache.ts';
import { queryKey } from './query-cache.ts';
import type { FleetBandRecord } from './recording-rules.ts';
import type { ResolvedWindow } from './window.ts';
import { literalAlternation } from '../../access/re2.ts';
import { TurnBatch } from '../../lib/turn-batch.ts';
import { promString } from './cluster-panels.ts';
import { BARE_SERIES, rowsByName } from './table-batch.ts';

/**
 * How far before a window the clusters are checked: a range query's first step reads samples
 * up to the lookback delta before it (5 min by default); an hour covers any lookback operators set.
 */
export const CHECK_MARGIN_SECONDS = 3600;

/**
 * The clusters that have `series` in the store over `window` (and the margin before it), from
 * the label-values API: it answers from the index (about 10 ms at 1,000 clusters). Blocks
 * overlapping the window count whole: a superset, which can only refuse more. A partial answer
 * (a Thanos store down) or a failure proves nothing: undefined.
 */
export async function storeClusters(
  client: PrometheusClient,
  series: string | readonly string[],
  window: Pick<ResolvedWindow, 'from' | 'to'>,
): Promise<string[] | undefined> {
  let answer;
  try {
    // Several series: the union of their clusters (one call), a superset of each one's, asked
    // as ONE selector on the name. Prometheus answers a single `match[]` from its index, but
    // reads every matching series to merge several: 3 ms instead of 22 ms for nine recorded
    // series at 1,000 clusters (2.42), and more when it runs beside the panels' queries.
    const names = typeof series === 'string' ? [series] : [...new Set(series)];
    const match = names.length === 1 ? names[0]! : `{__name__=~${promString(literalAlternation(names))}}`;
    answer = await client.labelValuesRaw(CLUSTER_LABEL, [match], {
      start: window.from - CHECK_MARGIN_SECONDS,
      end: window.to,
    });
  } catch (err) {
    if (err instanceof PrometheusError) return undefined;
    throw err;
  }
  if (answer.warnings.length > 0 || !Array.isArray(answer.data) || !answer.data.every((c) => typeof c === 'string')) return undefined;
  return answer.data;
}

/**
 * The band from the recorded rows: exactly one row per figure, each labelled with its figure,
 * and otherwise all with the same labels (a Thanos Ruler's or a central Prometheus' external
 * labels), none of them `cluster` or `namespace`. Anything else is not one fleet's band: rules
 * evaluated on each cluster's Prometheus (rows carrying its `cluster`, or several per figure),
 * two replicas told apart by no label. Then undefined, and the enforced plan runs.
 */
export function recordedBand(rows: readonly PromRow[]): HealthBandPoint[] | undefined {
  const figures = new Map<string, Map<number, number>>();
  let shared: string | undefined;
  for (const row of rows) {
    if (typeof row.metric !== 'object' || row.metric === null) return undefined;
    const part = Object.hasOwn(row.metric, PART_LABEL) ? row.metric[PART_LABEL] : undefined;
    if (part === undefined || figures.has(part)) return undefined;
    const rest = Object.entries(row.metric)
      .filter(([k]) => k !== '__name__' && k !== PART_LABEL)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    if (rest.some(([k]) => k === CLUSTER_LABEL || k === NAMESPACE_LABEL)) return undefined;
    const labels = JSON.stringify(rest);
    if (shared !== undefined && labels !== shared) return undefined;
    shared = labels;
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

/** A recorded fleet band and the store's clusters for its series, asked after the band was read. */
export interface CheckedBand {
  band: HealthBandPoint[];
  warnings: string[];
  clusters: readonly string[];
}

/** Remembers checked bands per (read, window): the same for everyone, so shared; never without its check. */
export type CheckedBandCache = TtlCache<Promise<CheckedBand | undefined>>;

/**
 * Reads the band, then asks which clusters the store holds for its series: asked after the
 * read, so a cluster whose series arrived before the band was computed is in the list. The
 * pair is the same whoever asks; whether a person may be shown the band is `clusters ⊆ theirs`.
 * Undefined when the rules are not loaded (no rows), the rows are not one fleet band, or the
 * store's clusters cannot be known.
 */
export async function readCheckedBand(
  client: PrometheusClient,
  record: FleetBandRecord,
  window: ResolvedWindow,
): Promise<CheckedBand | undefined> {
  let answer;
  try {
    answer = await client.rangeRaw(record.query, window.from, window.to, window.step);
  } catch (err) {
    if (err instanceof PrometheusError) return undefined;
    throw err;
  }
  const { data } = answer;
  if (data.resultType !== 'matrix' || !Array.isArray(data.result) || data.result.length === 0) return undefined;
  const band = recordedBand(data.result);
  if (!band) return undefined;
  const clusters = await storeClusters(client, record.series, window);
  return clusters && { band, warnings: answer.warnings, clusters };
}

interface BandAsk {
  record: FleetBandRecord;
  window: ResolvedWindow;
  resolve: (band: CheckedBand | undefined) => void;
  reject: (err: unknown) => void;
}

const windowKey = (w: ResolvedWindow) => `${w.from} ${w.to} ${w.step}`;

/**
 * `readCheckedBand` for the recorded bands asked in the same turn of the event loop over the
 * same window: the bands named alone (`fleet:…_band`) read as ONE range query,
 * `{__name__=~"a|b|…"}`, split by series name, then ONE label-values call over all their
 * per-cluster series — two queries instead of two per panel. The store check is then the union
 * of the panels' clusters, a superset of each one's, which can only refuse more; it is still
 * asked after the read. Bands that are expressions (the age panels), and all of them if the
 * merged read fails, are read and checked on their own.
 */
export class BandReader {
  readonly #client: PrometheusClient;
  /** Asks of this turn, per window (`windowKey`); each carries its window. */
  readonly #batch = new TurnBatch<string, BandAsk>((_, asks) => this.#flush(asks[0]!.window, asks));

  constructor(client: PrometheusClient) {
    this.#client = client;
  }

  read(record: FleetBandRecord, window: ResolvedWindow): Promise<CheckedBand | undefined> {
    return new Promise<CheckedBand | undefined>((resolve, reject) =>
      this.#batch.add(windowKey(window), { record, window, resolve, reject }),
    );
  }

  async #flush(window: ResolvedWindow, asks: readonly BandAsk[]): Promise<void> {
    const alone = (ask: BandAsk) => readCheckedBand(this.#client, ask.record, window).then(ask.resolve, ask.reject);
    const bare = asks.filter((a) => BARE_SERIES.test(a.record.query));
    const rest = asks.filter((a) => !bare.includes(a));
    const names = [...new Set(bare.map((a) => a.record.query))].sort();
    if (names.length < 2) {
      await Promise.all(asks.map(alone));
      return;
    }
    let answer;
    try {
      answer = await this.#client.rangeRaw(`{__name__=~${promString(literalAlternation(names))}}`, window.from, window.to, window.step);
    } catch {
      // Each on its own: a failure is each panel's own (and, like any failed read, means the enforced band).
      await Promise.all(asks.map(alone));
      return;
    }
    const pending = rest.map(alone);
    const { data } = answer;
    const byName = data.resultType === 'matrix' && Array.isArray(data.result) ? rowsByName(data.result) : new Map<string, PromRow[]>();
    const bands = bare.map((a) => {
      const rows = byName.get(a.record.query);
      return rows ? recordedBand(rows) : undefined;
    });
    const series = [...new Set(bare.filter((_, i) => bands[i] !== undefined).map((a) => a.record.series))];
    const clusters = series.length > 0 ? await storeClusters(this.#client, series, window) : undefined;
    bare.forEach((a, i) => {
      const band = bands[i];
      a.resolve(band && clusters ? { band, warnings: answer.warnings, clusters } : undefined);
    });
    await Promise.all(pending);
  }
}

/** Whether a checked band's clusters are all the access' own, per (band, access): a warm request asks again (see IdentityMemo). */
const admits = new IdentityMemo<boolean>();

/**
 * The panel's fleet band as recorded for the whole store (recording-rules.ts, `fleet:…_band`),
 * for a person who sees every cluster the store holds for it in the window — Prometheus then
 * reads five series instead of aggregating every cluster's at each step, and the band is the
 * one the enforced query would give (the same series, aggregated the same way).
 * Callers try it only for people who see the whole inventory (panel-access.ts `everyCluster`).
 * A band whose check fails is dropped unseen, as the fleet summary's unscoped answers are
 * filtered before anyone sees them (health-source.ts). With a `cache`, a band and its check are
 * reused together, never one without the other. Undefined — and the caller runs the enforced
 * query — when the person may not be shown it or there is no checked band.
 */
export async function recordedFleetBand(
  client: PrometheusClient,
  record: FleetBandRecord,
  access: PromAccess,
  window: ResolvedWindow,
  cache?: CheckedBandCache,
  reader?: BandReader,
): Promise<{ band: HealthBandPoint[]; warnings: string[] } | undefined> {
  if (access.groups.length === 0 || access.groups.some((g) => g.namespaces !== '*')) return undefined;
  const read = () => (reader ? reader.read(record, window) : readCheckedBand(client, record, window));
  const checked = await (cache ? cache.getOrCompute(queryKey(record.query, window), read) : read());
  if (!checked) return undefined;
  return admits.get([checked, access], '', () => {
    const theirs = new Set(access.groups.flatMap((g) => g.clusters));
    return checked.clusters.every((c) => theirs.has(c));
  })
    ? { band: checked.band, warnings: checked.warnings }
    : undefined;
}
