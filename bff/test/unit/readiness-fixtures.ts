import type { ClusterRolloutState, Violation, Wave } from '@fleetdeck/shared';

import { DEFAULT_CHECKS } from '../../src/promotion/readiness/checks.ts';
import type { EvaluateInput } from '../../src/promotion/readiness/evaluate.ts';
import type { Comparison, WaveFigures } from '../../src/promotion/readiness/figures.ts';

/** Shared builders for the readiness unit tests (not a test file itself). */
export const START = new Date('2026-11-20T10:00:00Z');
export const NOW = new Date('2026-11-20T10:30:00Z');

export function wave(states: Record<string, ClusterRolloutState>, name = 'canary'): Wave {
  const clusters = Object.entries(states).map(([cluster, state]) => ({ cluster, state, startedAt: START.toISOString() }));
  return {
    name,
    index: 0,
    state: 'Succeeded',
    gates: [],
    clusters,
    hiddenClusters: 0,
    progress: { total: clusters.length, succeeded: 0, failed: 0, updating: 0 },
    startedAt: START.toISOString(),
  };
}

const same = (clusters: string[], v: Comparison) => ({ values: new Map(clusters.map((c) => [c, v])) });

/** Healthy figures for every cluster: 99% pods healthy, no error-rate rise, no restarts, no new violations. */
export function healthyFigures(clusters: string[]): WaveFigures {
  return {
    podHealth: { values: new Map(clusters.map((c) => [c, 0.99])) },
    errorRate: same(clusters, { window: 0.002, before: 0.002 }),
    restarts: same(clusters, { window: 0, before: 0 }),
    violationCounts: { values: new Map() },
    extras: new Map(),
  };
}

export function input(w: Wave, patch: Partial<EvaluateInput> = {}): EvaluateInput {
  const clusters = w.clusters.map((c) => c.cluster);
  return {
    rollout: { id: 'demo~~web', policy: { failureThreshold: 1, successThresholdPodHealthyRatio: 0.95, sourceFields: {} } },
    wave: w.name,
    subject: w,
    window: { start: START, end: NOW },
    now: NOW,
    checks: DEFAULT_CHECKS,
    limits: { successThreshold: 0.95, maxErrorRateIncrease: 0.01, maxRestartIncreaseFactor: 2 },
    figures: healthyFigures(clusters),
    introduced: { byCluster: new Map(), unknown: new Set(), countsOnly: [] },
    ...patch,
  };
}

export function violation(
  cluster: string,
  firstSeenAt: string | undefined,
  id = `${cluster}-v`,
  namespace: string | undefined = 'apps',
): Violation {
  return {
    id,
    engine: 'gatekeeper',
    cluster,
    policy: 'K8sRequiredLabels/owner',
    severity: 'high',
    action: 'deny',
    result: 'fail',
    resource: { kind: 'Deployment', name: 'web', ...(namespace !== undefined && { namespace }) },
    message: 'missing owner label',
    ...(firstSeenAt !== undefined && { firstSeenAt }),
  };
}
