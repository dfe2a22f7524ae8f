import type { WaveReadiness } from '@fleetdeck/shared';

import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/logger.ts';
import type { InventorySource } from '../../sources/inventory.ts';
import type { PrometheusClient } from '../../sources/prometheus/prometheus-client.ts';
import type { ViolationSource } from '../../sources/violations/violation-source.ts';
import type { ReadinessService } from '../contracts.ts';

export interface ReadinessDeps {
  config: Config;
  logger: Logger;
  inventory: InventorySource;
  violations: ViolationSource;
  /** Real mode with Prometheus configured; absent in demo mode (the demo's own figures are used). */
  prometheus?: PrometheusClient;
}

// PLACEHOLDER (replaced by the readiness module): every verdict Unknown.
export function createReadinessService(_deps: ReadinessDeps): ReadinessService {
  const unknown = (rolloutId: string, wave: string, now = new Date()): WaveReadiness => ({
    rolloutId,
    wave,
    verdict: 'Unknown',
    reasons: [],
    checks: [],
    windowEnd: now.toISOString(),
    evaluatedAt: now.toISOString(),
    failureThreshold: { failed: 0, reached: false },
    successThreshold: 0.95,
    introducedViolations: { total: 0, items: [] },
    hiddenClusters: 0,
    digest: 'none',
    errors: [{ source: 'readiness', reason: 'not built' }],
  });
  return {
    evaluate: (r, wave, _viewer, now) => Promise.resolve(unknown(r.id, wave, now)),
    evaluateUnscoped: (r, wave, now) => Promise.resolve(unknown(r.id, wave, now)),
  };
}
