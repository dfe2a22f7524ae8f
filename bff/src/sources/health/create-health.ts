import type { Cluster } from '@fleetdeck/shared';

import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/logger.ts';
import { DemoHealthSource } from '../demo/health/demo-health.ts';
import { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { PrometheusHealthSource, type HealthSource } from './health-source.ts';
import { defaultHealthConfig, type HealthConfig } from './panel-config.ts';
import { healthPanelDefs } from './panel-defs.ts';
import { PanelError } from './prometheus-panels.ts';
import { QueryCache } from './query-cache.ts';
import { fleetBandRecords, recordedQueries, withRecordedHelp } from './recording-rules.ts';

const NOT_CONFIGURED = 'no Prometheus configured (PROMETHEUS_URL)';

/**
 * Prometheus/Thanos when configured, the demo's series in demo mode (never a real system),
 * else panels that say "not configured". Throws on panel configuration that cannot run.
 */
export function createHealth(
  config: Config,
  clusters: () => readonly Cluster[],
  prometheus: PrometheusClient | undefined,
  health: HealthConfig = defaultHealthConfig(),
): HealthSource {
  const defs = withRecordedHelp(healthPanelDefs(health), health);
  const limits = { pointBudget: health.pointBudget, minStepSeconds: health.minStepSeconds };
  if (config.mode === 'demo') return new DemoHealthSource(clusters, defs, limits);
  if (!prometheus) {
    return {
      defs,
      limits,
      summary: () =>
        Promise.resolve({
          clusters: new Map(),
          pods: new Map(),
          at: new Date(),
          errors: [{ source: 'prometheus', reason: NOT_CONFIGURED }],
        }),
      series: () => Promise.reject(new PanelError('prometheus', NOT_CONFIGURED)),
    };
  }
  const recorded = health.recordingRules ? recordedQueries(health) : undefined;
  const cache =
    health.cacheSeconds > 0
      ? new QueryCache({ ttlMs: health.cacheSeconds * 1000, maxBytes: health.cacheMegabytes * 1024 * 1024 })
      : undefined;
  return new PrometheusHealthSource(prometheus, defs, {
    apiserverJob: health.jobs.apiserver,
    limits,
    ...(recorded && { recorded, fleetBands: fleetBandRecords(health) }),
    ...(cache && { cache }),
  });
}

/** The one Prometheus/Thanos client of this BFF (health panels and the PromQL routes), in real mode when configured. */
export function createPrometheus(config: Config, logger: Logger): PrometheusClient | undefined {
  const { url, thanos, timeoutSeconds, compression } = config.prometheus;
  if (config.mode === 'demo' || !url) return undefined;
  return new PrometheusClient({
    url,
    thanos,
    timeoutMs: timeoutSeconds * 1000,
    compression,
    logger: logger.child({ source: 'prometheus' }),
  });
}
