import { compileGlob, type ReadinessCheckSpec } from '@fleetdeck/shared';

import type { ExtraReadinessCheck, PromotionConfig } from '../promotion-config.ts';

/** The brief's checks, in the order shown. Thresholds are filled per rollout (evaluate.ts). */
export const DEFAULT_CHECKS: readonly ReadinessCheckSpec[] = [
  { id: 'rollout-result', title: 'Rollout result', kind: 'rolloutResult', severity: 'blocking' },
  { id: 'pod-health', title: 'Pod health', kind: 'podHealth', severity: 'blocking', op: '>=' },
  { id: 'error-rate', title: 'API error rate', kind: 'errorRate', severity: 'blocking', op: '<=' },
  { id: 'restarts', title: 'Container restarts', kind: 'restarts', severity: 'advisory', op: '<=' },
  {
    id: 'violations-introduced',
    title: 'Violations introduced',
    kind: 'violationsIntroduced',
    severity: 'blocking',
    op: '==',
    threshold: 0,
  },
  { id: 'failure-threshold', title: 'Failure threshold', kind: 'failureThreshold', severity: 'blocking' },
];

const matchers = new Map<string, (name: string) => boolean>();
function matches(glob: string, name: string): boolean {
  let m = matchers.get(glob);
  if (!m) {
    // Globs come from the validated config (a bounded set): compiled once each.
    m = compileGlob(glob);
    matchers.set(glob, m);
  }
  return m(name);
}

/** The configured checks that apply to this wave of this rollout (stage and rollout globs, linear-time matching). */
export function extrasFor(config: Pick<PromotionConfig, 'checks'>, rolloutName: string, wave: string): ExtraReadinessCheck[] {
  return config.checks.filter((c) => matches(c.stages, wave) && matches(c.rollouts, rolloutName));
}

/** Every check of one evaluation: the defaults, then the configured ones (an extra reusing a default id is left out). */
export function checksFor(extras: readonly ExtraReadinessCheck[]): ReadinessCheckSpec[] {
  const ids = new Set(DEFAULT_CHECKS.map((c) => c.id));
  const out: ReadinessCheckSpec[] = [...DEFAULT_CHECKS];
  for (const e of extras) {
    if (ids.has(e.id)) continue;
    ids.add(e.id);
    out.push({ id: e.id, title: e.title, kind: 'promql', severity: e.severity, query: e.query, op: e.op, threshold: e.threshold });
  }
  return out;
}
