import type { WaveReadiness } from '@fleetdeck/shared';

import { visibilityOf } from '../../access/rollout-access.ts';
import { currentContext } from '../../access/rollouts/rollout-context.ts';
import { reachOf, sees } from '../../access/violations/violation-scope.ts';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/logger.ts';
import { HttpProblem } from '../../lib/problem.ts';
import { createHealth } from '../../sources/health/create-health.ts';
import type { HealthSource } from '../../sources/health/health-source.ts';
import type { InventorySource } from '../../sources/inventory.ts';
import type { PrometheusClient } from '../../sources/prometheus/prometheus-client.ts';
import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import type { ViolationSource } from '../../sources/violations/violation-source.ts';
import type { ReadinessService, ReadinessViewer } from '../contracts.ts';
import { checksFor, extrasFor } from './checks.ts';
import { DemoFigures } from './demo-figures.ts';
import { evaluateReadiness, type ViewerReach } from './evaluate.ts';
import type { FiguresRequest, FiguresSource, WaveFigures } from './figures.ts';
import { introducedViolations } from './introduced-violations.ts';
import { PrometheusFigures } from './prometheus-figures.ts';
import { subjectWave, waveStart } from './subject.ts';

export interface ReadinessDeps {
  config: Config;
  logger: Logger;
  inventory: InventorySource;
  violations: ViolationSource;
  /** Real mode with Prometheus configured; absent in demo mode (the demo's own figures are used). */
  prometheus?: PrometheusClient;
  /**
   * Demo mode: the health source the health pages use. Without it an equal demo health
   * source is built here (its series are pure functions of cluster and time, so both agree).
   */
  health?: () => HealthSource;
  /** How long one wave's figures are shared between viewers (the verdict is the same for all). */
  cacheMs?: number;
}

const NOT_CONFIGURED = 'Prometheus is not configured';

function figuresSource(deps: ReadinessDeps): FiguresSource {
  const clusters = () => deps.inventory.snapshot().clusters;
  if (deps.config.mode === 'demo') {
    let own: HealthSource | undefined;
    const health = deps.health ?? (() => (own ??= createHealth(deps.config, clusters, undefined, deps.config.health)));
    return new DemoFigures(health, clusters);
  }
  if (deps.prometheus) return new PrometheusFigures({ prometheus: deps.prometheus, health: deps.config.health, logger: deps.logger });
  const error = { error: NOT_CONFIGURED };
  return {
    figures: (req) =>
      Promise.resolve({
        podHealth: error,
        errorRate: error,
        restarts: error,
        violationCounts: error,
        extras: new Map(req.extras.map((e) => [e.id, error])),
      }),
  };
}

/**
 * Promotion readiness (issue 14): the figures of a wave's clusters are measured once,
 * over all of them (a constant number of upstream queries), and the same measurement is
 * cut per viewer, so every viewer gets the verdict the BFF itself sees, without the names
 * or values of what they may not see.
 */
export function createReadinessService(deps: ReadinessDeps): ReadinessService {
  const source = figuresSource(deps);
  const cacheMs = deps.cacheMs ?? 5000;
  const cache = new Map<string, { until: number; figures: Promise<WaveFigures> }>();
  // When this process first had each cluster's violations in full (see introducedViolations):
  // a source that already holds live feeds has them now; a spoke's feed turns live once its
  // informers listed everything (earlier notifications may carry part of it).
  const firstRead = new Map<string, number>();
  const createdAt = Date.now();
  for (const f of deps.violations.snapshot().feeds) if (f.state === 'live') firstRead.set(f.cluster, createdAt);
  deps.violations.onChange((names) => {
    if (names.every((n) => firstRead.has(n))) return;
    const at = Date.now();
    for (const f of deps.violations.snapshot().feeds) if (f.state === 'live' && !firstRead.has(f.cluster)) firstRead.set(f.cluster, at);
  });

  function figures(req: FiguresRequest, key: string, nowMs: number): Promise<WaveFigures> {
    for (const [k, v] of cache) if (v.until <= nowMs) cache.delete(k);
    const kept = cache.get(key);
    if (kept) return kept.figures;
    const promise = source.figures(req);
    if (cacheMs > 0) cache.set(key, { until: nowMs + cacheMs, figures: promise });
    return promise;
  }

  async function run(r: SourceRollout, wave: string, viewer: ViewerReach | undefined, now: Date): Promise<WaveReadiness> {
    const subject = subjectWave(r, wave);
    if (!subject) throw new HttpProblem(404, 'this rollout has no such wave');
    const start = waveStart(subject);
    const clusters = subject.clusters.map((c) => c.cluster);
    const found = introducedViolations(deps.violations.snapshot(), clusters, start, (c) => firstRead.get(c) ?? createdAt);
    const extras = extrasFor(deps.config.promotion, r.name, subject.name);
    const req: FiguresRequest = {
      clusters,
      countsOnly: found.countsOnly,
      start: start ?? new Date(now.getTime() - 3_600_000),
      end: now,
      extras,
    };
    const key = JSON.stringify([r.id, subject.name, req.start.getTime(), clusters, found.countsOnly, extras.map((e) => e.id)]);
    const measured = await figures(req, key, now.getTime());
    const p = deps.config.promotion;
    return evaluateReadiness({
      rollout: r,
      wave,
      subject,
      window: { start, end: now },
      now,
      checks: checksFor(extras),
      limits: {
        successThreshold: p.successThreshold,
        maxErrorRateIncrease: p.maxErrorRateIncrease,
        maxRestartIncreaseFactor: p.maxRestartIncreaseFactor,
      },
      figures: measured,
      introduced: found,
      ...(viewer && { viewer }),
    });
  }

  function reachFor(r: SourceRollout, viewer: ReadinessViewer): ViewerReach {
    const ctx = currentContext(deps.inventory, deps.config.rollouts.tenantNamespace);
    const visibility = visibilityOf(viewer, r, ctx);
    const reach = reachOf(viewer.scope, deps.inventory.snapshot().clusters);
    return {
      visible: (c) => visibility !== undefined && visibility.isVisible(c) && reach.has(c),
      whole: (c) => reach.get(c)?.whole === true,
      sees: (c, ns) => sees(reach, c, ns),
    };
  }

  return {
    evaluate: (r, wave, viewer, now = new Date()) => run(r, wave, reachFor(r, viewer), now),
    evaluateUnscoped: (r, wave, now = new Date()) => run(r, wave, undefined, now),
  };
}
