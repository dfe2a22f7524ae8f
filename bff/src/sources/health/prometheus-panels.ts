import type { Sample } from '@fleetdeck/shared';

import { seriesVisible, viewFor } from '../../access/promql/answer-filter.ts';
import { IdentityMemo, memoByIdentity } from '../../lib/identity-memo.ts';
import { EnforcementMemo } from '../../access/promql/enforce-memo.ts';
import { CLUSTER_LABEL, type PromAccess } from '../../access/promql/index.ts';
import { PrometheusError, PrometheusQueryError, type PrometheusClient } from '../prometheus/prometheus-client.ts';
import { queryKey, type Evaluation, type QueryCache } from './query-cache.ts';
import type { ResolvedWindow } from './window.ts';

/** One panel's answer: a series per cluster, and the upstream's warnings (raw: filter before showing). */
export interface PanelSeries {
  series: Map<string, Sample[]>;
  warnings: string[];
}

/** Why a panel has no data, in words safe to show to the person who asked. */
export class PanelError extends Error {
  override name = 'PanelError';
  readonly source: string;

  constructor(source: string, message: string) {
    super(message);
    this.source = source;
  }
}

/** Prometheus' matrix rows as per-cluster samples: one series per cluster, finite values only. */
export const byCluster = memoByIdentity(byClusterOf);

function byClusterOf(rows: readonly { metric: Record<string, string>; values?: [number, string][] }[]): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const row of rows) {
    const cluster = Object.hasOwn(row.metric, CLUSTER_LABEL) ? row.metric[CLUSTER_LABEL] : undefined;
    // A panel query aggregates by cluster; a row without one (or a second for the same) is not a cluster's figure.
    if (cluster === undefined || out.has(cluster)) continue;
    const samples: Sample[] = [];
    for (const [t, v] of row.values ?? []) {
      const n = Number(v);
      if (Number.isFinite(n)) samples.push([t, n]);
    }
    if (samples.length > 0) out.set(cluster, samples);
  }
  return out;
}

/** Rows of a matrix or vector answer, as Prometheus gives them. */
export interface PromRow {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

export type { Evaluation } from './query-cache.ts';

/**
 * Panel queries are a fixed set and people of one scope share accesses: their enforced texts
 * are remembered process-wide (bounded), so a request the response cache answers costs no parsing.
 */
const enforcement = new EnforcementMemo();

/**
 * An answer's rows a person may see, per (answer, access): with the response cache on, the
 * same answer object comes back while it is kept and people of one scope share an access
 * object (panel-access.ts), so the filter runs once per answer and scope, and everything
 * worked out of the rows further on (prometheus-fleet.ts) can be remembered by their identity.
 * Keyed by both objects: never one person's rows for another.
 */
const visibleRows = new IdentityMemo<readonly PromRow[]>();
const views = memoByIdentity(viewFor);

/**
 * One query under `access`: limited by the enforcer (every selector ANDed with the person's
 * clusters and namespaces) before it runs, and its answer filtered again to those clusters
 * and namespaces (the second wall). Failures are PanelErrors, safe to show. With a `cache`,
 * the upstream's answer is shared by everyone whose enforced query text and window are the
 * same (the text carries the scope); the answer filter still runs for each caller.
 */
export async function enforcedQuery(
  client: PrometheusClient,
  query: string,
  access: PromAccess,
  when: Evaluation,
  cache?: QueryCache,
): Promise<{ rows: readonly PromRow[]; warnings: string[] }> {
  const enforced = enforcement.enforce(query, access);
  if ('error' in enforced) throw new PanelError('access', enforced.error);
  const load = () =>
    'at' in when ? client.instantRaw(enforced.query, { time: when.at }) : client.rangeRaw(enforced.query, when.from, when.to, when.step);
  let answer;
  try {
    answer = await (cache ? cache.get(queryKey(enforced.query, when), load) : load());
  } catch (err) {
    if (err instanceof PrometheusQueryError) {
      throw new PanelError('prometheus', err.promMessage ? `${err.message}: ${err.promMessage}` : err.message);
    }
    if (err instanceof PrometheusError) throw new PanelError('prometheus', err.message);
    throw err;
  }
  const { data } = answer;
  if (data.resultType !== ('at' in when ? 'vector' : 'matrix') || !Array.isArray(data.result)) {
    throw new PanelError('prometheus', 'Prometheus gave an answer of an unexpected shape');
  }
  const result = data.result as PromRow[];
  const rows = visibleRows.get([answer, access], '', () => {
    const view = views(access);
    return result.filter((row) => typeof row.metric === 'object' && row.metric !== null && seriesVisible(view, row.metric));
  });
  return { rows, warnings: answer.warnings };
}

/** One panel, fleet-wide, in one range query: a series per cluster of `access`. */
export async function prometheusPanelSeries(
  client: PrometheusClient,
  query: string,
  access: PromAccess,
  window: ResolvedWindow,
  cache?: QueryCache,
): Promise<PanelSeries> {
  const { rows, warnings } = await enforcedQuery(client, query, access, window, cache);
  return { series: byCluster(rows), warnings };
}
