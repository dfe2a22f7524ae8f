import { enforcePromQL, promAccess } from '../../access/promql/index.ts';
import type { Logger } from '../../lib/logger.ts';
import { promString } from '../../sources/health/cluster-panels.ts';
import type { HealthConfig } from '../../sources/health/panel-config.ts';
import { builtinPanelDefs } from '../../sources/health/panel-defs.ts';
import { PrometheusError, type PrometheusClient, type VectorSample } from '../../sources/prometheus/prometheus-client.ts';
import { promDuration, type Comparison, type Figure, type FiguresRequest, type FiguresSource, type WaveFigures } from './figures.ts';

/**
 * Readiness figures from Prometheus / Thanos: one instant query per check kind, aggregated
 * `by (cluster)`, whatever the wave's size. The wave's clusters are never written into the
 * query text: the PromQL enforcer ANDs ONE `cluster=~"a|b|…"` matcher (regex-escaped) into
 * every selector, as it does for people's queries. A comparison of two periods is one query
 * too: both halves are labelled (`period`) and joined with `or`.
 */

const PERIOD = 'period';
const CLASS = 'code_class';

/** `expr` labelled with period=`name` (label_replace with an empty regex match always sets it). */
const labelled = (expr: string, name: string) => `label_replace(${expr}, ${promString(PERIOD)}, ${promString(name)}, "", "")`;

/** `window`: the expression over the wave; `before`: the same over the hour before it. */
function comparison(expr: (range: string, offset: string) => string, windowRange: string): string {
  return `${labelled(expr(windowRange, ''), 'window')} or ${labelled(expr('1h', ` offset ${windowRange}`), 'before')}`;
}

export function readinessQueries(health: HealthConfig, windowRange: string) {
  const job = `job=${promString(health.jobs.apiserver)}`;
  const pod = builtinPanelDefs(health).find((d) => d.id === 'podHealthRatio')!.query;
  // Requests by status class per cluster (one selector per period): the BFF divides 5xx by
  // the total, rather than Prometheus reading the same counters three times over.
  const byClass = (r: string, o: string) =>
    `sum by (cluster, ${CLASS}) (label_replace(increase(apiserver_request_total{${job}}[${r}]${o}), "${CLASS}", "$1", "code", "([0-9])[0-9][0-9]"))`;
  const restarts = (r: string, o: string) => `sum by (cluster) (increase(kube_pod_container_status_restarts_total[${r}]${o}))`;
  const failing = 'source="kyverno", status=~"fail|warn|error"';
  const violations = (o: string) =>
    `sum by (cluster) (${labelled(`gatekeeper_violations${o}`, 'g')} or ${labelled(`policy_report_result{${failing}}${o}`, 'p')} or ${labelled(`cluster_policy_report_result{${failing}}${o}`, 'c')})`;
  return {
    podHealth: pod,
    errorRate: comparison(byClass, windowRange),
    restarts: comparison(restarts, windowRange),
    violationCounts: `${labelled(violations(''), 'window')} or ${labelled(violations(` offset ${windowRange}`), 'before')}`,
  };
}

export interface PrometheusFiguresOptions {
  prometheus: Pick<PrometheusClient, 'instant'>;
  health: HealthConfig;
  logger: Logger;
}

export class PrometheusFigures implements FiguresSource {
  readonly #o: PrometheusFiguresOptions;
  constructor(options: PrometheusFiguresOptions) {
    this.#o = options;
  }

  async figures(req: FiguresRequest): Promise<WaveFigures> {
    const seconds = (req.end.getTime() - req.start.getTime()) / 1000;
    const range = promDuration(seconds);
    const q = readinessQueries(this.#o.health, range);
    const wave = promAccess([{ clusters: req.clusters, namespaces: '*' }]);
    const countsOnly = promAccess([{ clusters: req.countsOnly, namespaces: '*' }]);
    const run = async (query: string, access: typeof wave): Promise<VectorSample[] | { error: string }> => {
      const enforced = enforcePromQL(query, access);
      if ('error' in enforced) return { error: `the query was refused: ${enforced.error}` };
      try {
        return await this.#o.prometheus.instant(enforced.query, req.end);
      } catch (e) {
        this.#o.logger.warn({ err: e }, 'readiness query failed');
        return { error: e instanceof PrometheusError ? e.message : 'Prometheus did not answer' };
      }
    };
    const none: Figure<Comparison> = { values: new Map() };
    const [pod, errors, restarts, counts, ...extras] = await Promise.all([
      req.clusters.length ? run(q.podHealth, wave) : [],
      req.clusters.length ? run(q.errorRate, wave) : [],
      req.clusters.length ? run(q.restarts, wave) : [],
      req.countsOnly.length ? run(q.violationCounts, countsOnly) : [],
      ...req.extras.map((e) => (req.clusters.length ? run(e.query.replaceAll('$window', range), wave) : [])),
    ]);
    return {
      podHealth: single(pod),
      errorRate: errorShares(errors),
      restarts: paired(restarts),
      violationCounts: req.countsOnly.length ? paired(counts) : none,
      extras: new Map(req.extras.map((e, i) => [e.id, single(extras[i]!)])),
    };
  }
}

const num = (s: VectorSample) => Number(s.value[1]);

function single(answer: VectorSample[] | { error: string }): Figure<number> {
  if ('error' in answer) return answer;
  const values = new Map<string, number>();
  for (const s of answer) {
    const c = s.metric.cluster;
    if (c !== undefined && Number.isFinite(num(s))) values.set(c, num(s));
  }
  return { values };
}

/** A cluster with a window figure and none for the hour before compares against 0 (the stricter reading). */
function paired(answer: VectorSample[] | { error: string }): Figure<Comparison> {
  if ('error' in answer) return answer;
  const window = new Map<string, number>();
  const before = new Map<string, number>();
  for (const s of answer) {
    const c = s.metric.cluster;
    if (c === undefined || !Number.isFinite(num(s))) continue;
    if (s.metric[PERIOD] === 'window') window.set(c, num(s));
    else if (s.metric[PERIOD] === 'before') before.set(c, num(s));
  }
  const values = new Map<string, Comparison>();
  for (const [c, w] of window) values.set(c, { window: w, before: before.get(c) ?? 0 });
  return { values };
}

/** The 5xx share of each cluster's API requests per period; a cluster with no requests in the window has no figure. */
function errorShares(answer: VectorSample[] | { error: string }): Figure<Comparison> {
  if ('error' in answer) return answer;
  const sums = new Map<string, { window: [number, number]; before: [number, number] }>();
  for (const s of answer) {
    const c = s.metric.cluster;
    const period = s.metric[PERIOD];
    if (c === undefined || (period !== 'window' && period !== 'before') || !Number.isFinite(num(s))) continue;
    let x = sums.get(c);
    if (!x) sums.set(c, (x = { window: [0, 0], before: [0, 0] }));
    x[period][1] += num(s);
    if (s.metric[CLASS] === '5') x[period][0] += num(s);
  }
  const values = new Map<string, Comparison>();
  for (const [c, { window, before }] of sums) {
    if (window[1] <= 0) continue;
    values.set(c, { window: window[0] / window[1], before: before[1] > 0 ? before[0] / before[1] : 0 });
  }
  return { values };
}
