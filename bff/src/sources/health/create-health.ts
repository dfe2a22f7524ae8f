import type { Cluster } from '@fleetdeck/shared';

import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/logger.ts';
import { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { clusterPanelQueries } from './cluster-panels.ts';
import { DemoHealthSource, PrometheusHealthSource, restrictedPanel, type HealthSource } from './health-source.ts';

/** Prometheus/Thanos when configured, the demo's numbers in demo mode, else panels that say "not configured". */
export function createHealth(config: Config, clusters: () => readonly Cluster[], prometheus: PrometheusClient | undefined): HealthSource {
  if (config.mode === 'demo') return new DemoHealthSource(clusters);
  if (!prometheus) {
    const reason = 'no Prometheus configured (PROMETHEUS_URL)';
    return {
      summary: () => Promise.resolve({ clusters: new Map(), pods: new Map(), at: new Date(), errors: [{ source: 'prometheus', reason }] }),
      panels: (cluster, _range, namespaces) =>
        Promise.resolve(
          clusterPanelQueries(cluster, namespaces).map((q) =>
            q.query === undefined
              ? restrictedPanel(q, cluster)
              : { id: q.id, title: q.title, unit: q.unit, series: [], errors: [{ source: 'prometheus', cluster, reason }] },
          ),
        ),
    };
  }
  return new PrometheusHealthSource(prometheus);
}

/** The one Prometheus/Thanos client of this BFF (health panels and the PromQL routes), in real mode when configured. */
export function createPrometheus(config: Config, logger: Logger): PrometheusClient | undefined {
  const { url, thanos, timeoutSeconds } = config.prometheus;
  if (config.mode === 'demo' || !url) return undefined;
  return new PrometheusClient({ url, thanos, timeoutMs: timeoutSeconds * 1000, logger: logger.child({ source: 'prometheus' }) });
}
