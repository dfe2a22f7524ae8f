import {
  GATEKEEPER_ALL_CONSTRAINTS,
  ViolationAction,
  ViolationSeverity,
  type Cluster,
  type ClusterViolationFeed,
  type CountsOnlyCount,
  type PartialError,
  type ViolationMetric,
} from '@fleetdeck/shared';

import { seriesVisible, viewFor } from '../../access/promql/answer-filter.ts';
import { enforcePromQL, promAccess } from '../../access/promql/index.ts';
import type { Logger } from '../../lib/logger.ts';
import { PrometheusError, type PrometheusClient } from '../prometheus/prometheus-client.ts';
import type { ViolationSnapshot, ViolationSource } from './violation-source.ts';

type ClusterRef = Pick<Cluster, 'name'>;

/**
 * The current-state gauges, one query each, aggregated `by (cluster, …)` so the answer is
 * one series per figure whatever the fleet's size. Only Kyverno's results from Policy
 * Reporter (`source="kyverno"`: other sources are other engines); failing results only.
 * Gatekeeper's gauge has no constraint or namespace label (by design upstream).
 */
const QUERIES: { metric: ViolationMetric; query: string }[] = [
  { metric: 'gatekeeper_violations', query: 'sum by (cluster, enforcement_action) (gatekeeper_violations)' },
  {
    metric: 'policy_report_result',
    query: 'sum by (cluster, namespace, policy, severity) (policy_report_result{source="kyverno", status=~"fail|warn|error"})',
  },
  {
    metric: 'cluster_policy_report_result',
    query: 'sum by (cluster, policy, severity) (cluster_policy_report_result{source="kyverno", status=~"fail|warn|error"})',
  },
];

const severityOf = (s: string | undefined) => ViolationSeverity.safeParse(s).data ?? 'unknown';
const actionOf = (s: string | undefined) => ViolationAction.safeParse(s).data ?? 'unknown';

function countOf(metric: ViolationMetric, labels: Record<string, string>, value: number): CountsOnlyCount | undefined {
  const cluster = labels.cluster;
  const count = Math.round(value);
  if (!cluster || !Number.isFinite(value) || count <= 0) return undefined;
  if (metric === 'gatekeeper_violations')
    return {
      cluster,
      engine: 'gatekeeper',
      policy: GATEKEEPER_ALL_CONSTRAINTS,
      severity: 'unknown',
      action: actionOf(labels.enforcement_action),
      count,
      metric,
    };
  if (!labels.policy) return undefined;
  if (metric === 'policy_report_result' && !labels.namespace) return undefined;
  return {
    cluster,
    engine: 'kyverno',
    policy: labels.policy,
    severity: severityOf(labels.severity),
    ...(metric === 'policy_report_result' && { namespace: labels.namespace }),
    count,
    metric,
  };
}

export interface CountsOnlyOptions {
  prometheus: Pick<PrometheusClient, 'instantRaw'>;
  /** The inventory's clusters now. */
  clusters: () => readonly ClusterRef[];
  /** Clusters with a connection: their findings come from the spoke, never from metrics. */
  connected: ReadonlySet<string>;
  logger: Logger;
  /** How often the gauges are read (Policy Reporter and Gatekeeper's audit move on the minute). */
  intervalMs?: number;
  now?: () => Date;
}

/**
 * Adds "counts only" figures to a violation source: for inventory clusters the BFF has no
 * connection to, the gauges their Gatekeeper / Policy Reporter send to Prometheus (Thanos),
 * read every `intervalMs` with the BFF's own access limited by the PromQL enforcer to
 * exactly those clusters (and each answer filtered again). People see them through the
 * same per-person cut as rows. Prometheus down: the last figures stay, with an error.
 */
export function withCountsOnly(inner: ViolationSource, options: CountsOnlyOptions): ViolationSource {
  const { prometheus, logger } = options;
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(clusters: readonly string[]) => void>();
  let counts: CountsOnlyCount[] = [];
  let syncedAt: string | undefined;
  let error: string | undefined;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let cache: { inner: ViolationSnapshot; generation: number; snapshot: ViolationSnapshot } | undefined;
  let version = 0;

  async function read(targets: readonly string[]): Promise<CountsOnlyCount[]> {
    const access = promAccess([{ clusters: targets, namespaces: '*' }]);
    const view = viewFor(access);
    const out: CountsOnlyCount[] = [];
    for (const q of QUERIES) {
      const enforced = enforcePromQL(q.query, access);
      if ('error' in enforced) throw new PrometheusError(`${q.metric}: ${enforced.error}`);
      const answer = await prometheus.instantRaw(enforced.query);
      if (answer.data.resultType !== 'vector' || !Array.isArray(answer.data.result))
        throw new PrometheusError(`${q.metric}: Prometheus gave an answer of an unexpected shape`);
      for (const row of answer.data.result) {
        // The second wall: a series of a connected or unknown cluster never counts.
        if (!seriesVisible(view, row.metric)) continue;
        const c = countOf(q.metric, row.metric, Number(row.value[1]));
        if (c) out.push(c);
      }
    }
    return out;
  }

  async function poll(): Promise<void> {
    const targets = options
      .clusters()
      .map((c) => c.name)
      .filter((name) => !options.connected.has(name));
    const before = new Set(counts.map((c) => c.cluster));
    try {
      const next = targets.length > 0 ? await read(targets) : [];
      const changed = JSON.stringify(next) !== JSON.stringify(counts) || error !== undefined;
      counts = next;
      error = undefined;
      syncedAt = now().toISOString();
      if (!changed) return;
    } catch (err) {
      if (!(err instanceof PrometheusError)) throw err;
      logger.warn({ err }, 'counts-only violation metrics could not be read');
      if (error !== undefined) return;
      error = `Prometheus could not be read for counts-only clusters; ${counts.length > 0 ? 'showing the last figures' : 'none shown'}`;
    }
    generation++;
    const touched = [...new Set([...before, ...counts.map((c) => c.cluster)])];
    for (const l of listeners) {
      try {
        l(touched);
      } catch (err) {
        logger.error({ err }, 'a violation change listener failed');
      }
    }
  }

  const pollSafely = () => {
    polling ??= poll()
      .catch((err: unknown) => logger.error({ err }, 'counts-only violation poll failed'))
      .finally(() => (polling = undefined));
    return polling;
  };

  return {
    async start() {
      await inner.start();
      await pollSafely();
      timer = setInterval(() => void pollSafely(), options.intervalMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      listeners.clear();
      await polling;
      await inner.stop();
    },
    snapshot() {
      const base = inner.snapshot();
      if (cache?.inner === base && cache.generation === generation) return cache.snapshot;
      const clusters = [...new Set(counts.map((c) => c.cluster))].sort();
      const feeds: ClusterViolationFeed[] = clusters.map((cluster) => ({
        cluster,
        state: 'countsOnly',
        ...(syncedAt && { lastSyncAt: syncedAt }),
        reason: 'no connection to this cluster: counts from the metrics it sends',
      }));
      const errors: PartialError[] = error ? [{ source: 'prometheus', reason: error }] : [];
      const snapshot: ViolationSnapshot = {
        ...base,
        // Either part changing makes a new version (answers are cached by it).
        version: ++version,
        feeds: [...base.feeds, ...feeds],
        errors: [...base.errors, ...errors],
        countsOnly: counts,
      };
      cache = { inner: base, generation, snapshot };
      return snapshot;
    },
    onChange(listener) {
      listeners.add(listener);
      const off = inner.onChange(listener);
      return () => {
        listeners.delete(listener);
        off();
      };
    },
  };
}
