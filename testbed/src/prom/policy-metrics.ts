import { remoteWrite, type PushSeries } from './remote-write.ts';

/**
 * Policy Reporter's current-state gauges as it exports them (`policy_report_result` per
 * namespace, `cluster_policy_report_result` for cluster-scoped results; labels `policy`,
 * `status`, `severity`, `category`, `source`), with the `cluster` label Thanos' external
 * labels give them. Tests feed them into the testbed Prometheus by remote write, live (the
 * seeded history is in TSDB blocks already, so only samples after the testbed started are
 * accepted), beside the seeded `gatekeeper_violations`.
 */
export interface PolicyFigure {
  metric: 'policy_report_result' | 'cluster_policy_report_result';
  cluster: string;
  /** `policy_report_result` only. */
  namespace?: string;
  policy: string;
  status: 'pass' | 'fail' | 'warn' | 'error' | 'skip';
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info' | '';
  category?: string;
  source?: string;
  value: number;
}

/**
 * Gatekeeper's gauge with the labels of the seeded history (`cluster`, `tenant`, `env`,
 * `enforcement_action`): pushed live it continues that series past the testbed's start.
 */
export interface GatekeeperFigure {
  metric: 'gatekeeper_violations';
  cluster: string;
  tenant: string;
  env: string;
  enforcementAction: 'deny' | 'dryrun' | 'warn';
  value: number;
}

function seriesOf(f: PolicyFigure | GatekeeperFigure, timestamps: readonly number[]): PushSeries {
  const samples = timestamps.map((timestampMs) => ({ value: f.value, timestampMs }));
  if (f.metric === 'gatekeeper_violations')
    return {
      name: f.metric,
      labels: { cluster: f.cluster, tenant: f.tenant, env: f.env, enforcement_action: f.enforcementAction },
      samples,
    };
  return {
    name: f.metric,
    labels: {
      cluster: f.cluster,
      ...(f.metric === 'policy_report_result' && f.namespace !== undefined && { namespace: f.namespace }),
      policy: f.policy,
      status: f.status,
      severity: f.severity,
      category: f.category ?? 'Best Practices',
      source: f.source ?? 'kyverno',
    },
    samples,
  };
}

export interface PolicyFeed {
  /** Stops pushing; the series go stale in Prometheus five minutes after the last sample. */
  stop(): void;
}

/**
 * Pushes the figures now and every `intervalMs` (as a scrape would), after trying the last
 * few minutes at 15 s steps so range queries see a short history (samples older than the
 * testbed's start are refused and skipped). Resolves once Prometheus accepted a push.
 */
export async function feedPolicyMetrics(
  prometheusUrl: string,
  figures: readonly (PolicyFigure | GatekeeperFigure)[],
  options: { intervalMs?: number; historySeconds?: number } = {},
): Promise<PolicyFeed> {
  const push = async (t: number) =>
    remoteWrite(
      prometheusUrl,
      figures.map((f) => seriesOf(f, [t])),
    );
  const now = Date.now();
  for (let back = options.historySeconds ?? 240; back > 0; back -= 15) await push(now - back * 1000);
  const first = await push(Date.now());
  if (first.status >= 300) throw new Error(`Prometheus refused the policy metrics: ${first.status} ${first.text}`);
  const timer = setInterval(() => void push(Date.now()).catch(() => undefined), options.intervalMs ?? 10_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
