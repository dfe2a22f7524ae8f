import type { Wave } from '@fleetdeck/shared';

import { createLogger } from '../../bff/src/lib/logger.ts';
import { DEFAULT_CHECKS } from '../../bff/src/promotion/readiness/checks.ts';
import { evaluateReadiness } from '../../bff/src/promotion/readiness/evaluate.ts';
import { PrometheusFigures, readinessQueries } from '../../bff/src/promotion/readiness/prometheus-figures.ts';
import { PrometheusClient, type VectorSample } from '../../bff/src/sources/prometheus/prometheus-client.ts';
import { promString } from '../../bff/src/sources/health/cluster-panels.ts';
import { defaultHealthConfig } from '../../bff/src/sources/health/panel-config.ts';
import { remoteWrite, type PushSeries } from '../../testbed/src/prom/remote-write.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';

/**
 * Issue 14's readiness figure: a wave of 200 clusters evaluated with a constant number of
 * Prometheus queries (aggregated `by (cluster)`, the clusters as one enforced matcher),
 * beside the per-cluster approach (one query per cluster per check) in the same run, on the
 * testbed's real Prometheus with the clusters' series pushed by remote write.
 */
const CLUSTERS = 200;
const RUNS = 30;
const NAIVE_RUNS = 5;
/** How many queries the per-cluster approach keeps in flight (a client would bound it too). */
const NAIVE_PARALLEL = 8;

const p95 = (s: number[]) => round(percentile(s, 95), 1);
const p50 = (s: number[]) => round(percentile(s, 50), 1);

/**
 * Pods by phase, API requests by code and container restarts for each cluster, pushed twice
 * a second apart (a new Prometheus refuses samples older than its head, so no history).
 */
async function pushSeries(url: string, names: readonly string[], job: string): Promise<void> {
  for (let k = 0; k < 2; k++) {
    if (k > 0) await new Promise((r) => setTimeout(r, 1500));
    const timestampMs = Date.now();
    const one = (value: number) => [{ value, timestampMs }];
    const series = names.flatMap((cluster, i): PushSeries[] => [
      { name: 'kube_pod_status_phase', labels: { cluster, namespace: 'bench', phase: 'Running' }, samples: one(40) },
      { name: 'kube_pod_status_phase', labels: { cluster, namespace: 'bench', phase: 'Pending' }, samples: one(i % 50 === 0 ? 5 : 0) },
      { name: 'apiserver_request_total', labels: { cluster, job, code: '200' }, samples: one(1000 + k * 600) },
      { name: 'apiserver_request_total', labels: { cluster, job, code: '500' }, samples: one(1 + k) },
      {
        name: 'kube_pod_container_status_restarts_total',
        labels: { cluster, namespace: 'bench', pod: 'p', container: 'c' },
        samples: one(k),
      },
    ]);
    for (let i = 0; i < series.length; i += 500) {
      const r = await remoteWrite(url, series.slice(i, i + 500));
      if (r.status >= 300) throw new Error(`remote write answered ${r.status}: ${r.text}`);
    }
  }
}

export async function readinessBenchmarks(prometheusUrl: string, log: (line: string) => void): Promise<BenchRecord[]> {
  const tag = Date.now().toString(36);
  const names = Array.from({ length: CLUSTERS }, (_, i) => `bench-ready-${tag}-${String(i).padStart(3, '0')}`);
  const config = { health: defaultHealthConfig() };
  let t0 = Date.now();
  await pushSeries(prometheusUrl, names, config.health.jobs.apiserver);
  log(`readiness: pushed ${CLUSTERS} clusters' series (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  const client = new PrometheusClient({ url: prometheusUrl, thanos: false, timeoutMs: 30_000 });
  let sent = 0;
  const counting = { instant: (q: string, t?: Date): Promise<VectorSample[]> => (sent++, client.instant(q, t)) };
  const figures = new PrometheusFigures({ prometheus: counting, health: config.health, logger: createLogger('silent') });
  const start = new Date(Date.now() - 10 * 60_000);
  const wave: Wave = {
    name: 'production',
    index: 0,
    state: 'AwaitingApproval',
    gates: [],
    clusters: names.map((cluster) => ({ cluster, state: 'Succeeded' })),
    hiddenClusters: 0,
    progress: { total: CLUSTERS, succeeded: CLUSTERS, failed: 0, updating: 0 },
    startedAt: start.toISOString(),
  };
  const ours = async () => {
    const end = new Date();
    const f = await figures.figures({ clusters: names, countsOnly: [], start, end, extras: [] });
    return evaluateReadiness({
      rollout: { id: 'bench~~readiness', policy: { failureThreshold: 1, sourceFields: {} } },
      wave: wave.name,
      subject: wave,
      window: { start, end },
      now: end,
      checks: DEFAULT_CHECKS,
      limits: { successThreshold: 0.95, maxErrorRateIncrease: 0.01, maxRestartIncreaseFactor: 2 },
      figures: f,
      introduced: { byCluster: new Map(), unknown: new Set(), countsOnly: [] },
    });
  };
  // The per-cluster approach: the same three figures, one query per cluster per check.
  const queries = readinessQueries(config.health, '600s');
  const perCluster = (cluster: string) => {
    const only = `cluster=${promString(cluster)}`;
    // Per-cluster callers write the cluster into each selector by hand: exactly what we avoid.
    return Object.values({ podHealth: queries.podHealth, errorRate: queries.errorRate, restarts: queries.restarts }).map((q) =>
      q.replace(
        /(kube_pod_status_phase|apiserver_request_total|kube_pod_container_status_restarts_total)(\{)?/g,
        (_, m: string, brace?: string) => (brace ? `${m}{${only},` : `${m}{${only}}`),
      ),
    );
  };
  const naive = async () => {
    const work = names.flatMap(perCluster);
    let next = 0;
    let sentNaive = 0;
    await Promise.all(
      Array.from({ length: NAIVE_PARALLEL }, async () => {
        while (next < work.length) {
          const q = work[next++]!;
          sentNaive++;
          await client.instant(q);
        }
      }),
    );
    return sentNaive;
  };

  const first = await ours();
  const pod = first.checks.find((c) => c.id === 'pod-health')!;
  if (pod.clusters.filter((c) => c.value !== undefined).length !== CLUSTERS)
    throw new Error('readiness bench: not every cluster got its pod figure');
  for (const id of ['error-rate', 'restarts']) {
    const measured = first.checks.find((c) => c.id === id)!.clusters.filter((c) => c.value !== undefined).length;
    if (measured !== CLUSTERS) throw new Error(`readiness bench: ${id} measured ${measured} of ${CLUSTERS} clusters`);
  }
  if (first.verdict !== 'NotReady' || pod.hiddenFailing !== 0 || pod.clusters.filter((c) => c.status === 'fail').length !== CLUSTERS / 50)
    throw new Error(`readiness bench: unexpected verdict ${first.verdict}: ${first.reasons.join('; ')}`);
  sent = 0;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t0 = performance.now();
    await ours();
    samples.push(performance.now() - t0);
  }
  const perEvaluation = sent / RUNS;
  const naiveSamples: number[] = [];
  let naiveQueries = 0;
  await naive();
  for (let i = 0; i < NAIVE_RUNS; i++) {
    t0 = performance.now();
    naiveQueries = await naive();
    naiveSamples.push(performance.now() - t0);
  }
  log(
    `readiness, ${CLUSTERS} clusters: p50 ${p50(samples)} / p95 ${p95(samples)} ms with ${perEvaluation} queries; per-cluster p95 ${p95(naiveSamples)} ms with ${naiveQueries} queries`,
  );
  return [
    record('rollouts', `readiness for a wave of ${CLUSTERS} clusters p50 (constant queries)`, p50(samples), 'ms', {
      baseline: p50(naiveSamples),
    }),
    record(
      'rollouts',
      `readiness for a wave of ${CLUSTERS} clusters p95 < 300 ms (constant queries; naive: one query per cluster per check, ${NAIVE_PARALLEL} in flight)`,
      p95(samples),
      'ms',
      { baseline: p95(naiveSamples), goal: 300 },
    ),
    record('rollouts', `readiness Prometheus queries per evaluation, ${CLUSTERS} clusters`, perEvaluation, 'queries', {
      baseline: naiveQueries,
      goal: 4,
    }),
  ];
}
