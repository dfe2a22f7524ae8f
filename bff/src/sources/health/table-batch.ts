import type { PromAccess } from '../../access/promql/index.ts';
import { accessKey } from '../../access/promql/enforce-memo.ts';
import { literalAlternation } from '../../access/re2.ts';
import { memoByIdentity } from '../../lib/identity-memo.ts';
import { TurnBatch } from '../../lib/turn-batch.ts';
import type { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { promString } from './cluster-panels.ts';
import { enforcedQuery, type PromRow } from './prometheus-panels.ts';
import type { QueryCache } from './query-cache.ts';

/** A series named alone, no matchers: a recorded `cluster:…` series, as a panel's table asks for it. */
export const BARE_SERIES = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

type Answer = { rows: readonly PromRow[]; warnings: string[] };

interface Ask {
  series: string;
  access: PromAccess;
  resolve: (a: Answer) => void;
  reject: (e: unknown) => void;
}

const NO_ROWS: readonly PromRow[] = Object.freeze([]);

/**
 * A merged answer's rows by series name; the same arrays for the same rows, so what is worked
 * out of one panel's rows (tableOf, prometheus-fleet.ts) is remembered on a warm request too.
 */
export const rowsByName = memoByIdentity((rows: readonly PromRow[]): Map<string, PromRow[]> => {
  const out = new Map<string, PromRow[]>();
  for (const row of rows) {
    // Rows as Prometheus sent them, too (recorded-fleet-band.ts): a row without a metric object names nothing.
    const metric: unknown = row.metric;
    const name = typeof metric === 'object' && metric !== null && Object.hasOwn(metric, '__name__') ? row.metric.__name__ : undefined;
    if (name === undefined) continue;
    let list = out.get(name);
    if (!list) out.set(name, (list = []));
    list.push(row);
  }
  return out;
});

/**
 * The panels' table queries — every cluster's value of a recorded series at the window's end —
 * asked in the same turn of the event loop for the same instant and the same scope, sent as ONE
 * selector, `{__name__=~"a|b|…"}`, enforced and filtered like any panel query (`enforcedQuery`).
 * On the health bench's Prometheus (2.42, 1,000 clusters) eight table queries cost 95–104 ms of
 * CPU and the one selector 61–62 ms: a query's fixed cost and the scope matcher's compilation
 * are paid once. An `or` of the queries would not help (it hashes every series; measured: no
 * gain). If the merged query fails (too large an answer, Prometheus refusing it), each series is
 * asked on its own, so each panel gets its own answer or error. Rows are split by `__name__`: the
 * same rows the series' own query gives.
 */
export class TableBatcher {
  readonly #client: PrometheusClient;
  readonly #cache: QueryCache | undefined;
  /** Asks of this turn, per instant. */
  readonly #batch = new TurnBatch<number, Ask>((at, asks) => this.#flush(at, asks));

  constructor(client: PrometheusClient, cache?: QueryCache) {
    this.#client = client;
    this.#cache = cache;
  }

  /** `series` (BARE_SERIES) at `at` under `access`, with whatever else is asked in this turn. */
  table(series: string, access: PromAccess, at: number): Promise<Answer> {
    if (!BARE_SERIES.test(series)) throw new RangeError(`not a bare series: ${series}`);
    return new Promise<Answer>((resolve, reject) => this.#batch.add(at, { series, access, resolve, reject }));
  }

  async #flush(at: number, asks: readonly Ask[]): Promise<void> {
    // Same scope text, same enforced selector: people (or audiences) with equal accesses share one query.
    const groups = new Map<string, Ask[]>();
    for (const ask of asks) {
      const key = accessKey(ask.access);
      const group = groups.get(key);
      if (group) group.push(ask);
      else groups.set(key, [ask]);
    }
    // Anything unexpected fails that group's asks, not the other groups'.
    await Promise.all(
      [...groups.values()].map((group) => this.#run(at, group).catch((err: unknown) => group.forEach((a) => a.reject(err)))),
    );
  }

  async #run(at: number, asks: readonly Ask[]): Promise<void> {
    const names = [...new Set(asks.map((a) => a.series))].sort();
    const one = (series: string, access: PromAccess) => enforcedQuery(this.#client, series, access, { at }, this.#cache);
    if (names.length > 1) {
      try {
        const merged = await one(`{__name__=~${promString(literalAlternation(names))}}`, asks[0]!.access);
        const split = rowsByName(merged.rows);
        for (const ask of asks) ask.resolve({ rows: split.get(ask.series) ?? NO_ROWS, warnings: merged.warnings });
        return;
      } catch {
        // Each on its own below: a panel's error is its own, and the others may still answer.
      }
    }
    await Promise.all(
      asks.map((ask) =>
        one(ask.series, ask.access).then(
          (a) => ask.resolve(a),
          (err: unknown) => ask.reject(err),
        ),
      ),
    );
  }
}
