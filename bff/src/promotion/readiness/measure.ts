import type { CheckStatus, ReadinessCheckSpec, Wave } from '@fleetdeck/shared';

import { valuesOf, type Comparison, type Figure, type WaveFigures } from './figures.ts';
import type { IntroducedFindings } from './introduced-violations.ts';

/** One cluster's result for one check, over every cluster of the wave (unscoped: cut per viewer in evaluate.ts). */
export interface Measured {
  cluster: string;
  status: CheckStatus;
  value?: number;
  /** A word for people where a number says too little ("Failed", "Updating"). */
  note?: string;
}

export interface Measurement {
  perCluster: Measured[];
  /** Why the whole check has no data (the upstream's answer, safe to show). */
  error?: string;
  threshold?: number;
}

export interface Limits {
  successThreshold: number;
  maxErrorRateIncrease: number;
  maxRestartIncreaseFactor: number;
  failureThreshold: number | undefined;
  /** The wave's window in seconds (restarts compare like with like). */
  windowSeconds: number;
}

const PASSING_STATES = new Set(['Succeeded', 'Skipped']);

function fromFigure<T>(clusters: readonly string[], figure: Figure<T>, judge: (v: T) => Omit<Measured, 'cluster'>): Measurement {
  const values = valuesOf(figure);
  if (!values)
    return { perCluster: clusters.map((cluster) => ({ cluster, status: 'unknown' })), error: 'error' in figure ? figure.error : 'no data' };
  return {
    perCluster: clusters.map((cluster) => {
      const v = values.get(cluster);
      return v === undefined ? { cluster, status: 'unknown' as const, note: 'no data' } : { cluster, ...judge(v) };
    }),
  };
}

const compare = (value: number, op: NonNullable<ReadinessCheckSpec['op']>, threshold: number): boolean =>
  op === '<'
    ? value < threshold
    : op === '<='
      ? value <= threshold
      : op === '>'
        ? value > threshold
        : op === '>='
          ? value >= threshold
          : value === threshold;

/** Per cluster of the wave, each check's status and measured value. Pure. */
export function measure(
  spec: ReadinessCheckSpec,
  wave: Wave,
  figures: WaveFigures,
  introduced: IntroducedFindings,
  limits: Limits,
): Measurement {
  const clusters = wave.clusters.map((c) => c.cluster);
  switch (spec.kind) {
    case 'rolloutResult':
      return {
        perCluster: wave.clusters.map((c) => ({
          cluster: c.cluster,
          status: PASSING_STATES.has(c.state) ? 'pass' : c.state === 'Unknown' ? 'unknown' : 'fail',
          note: c.state,
        })),
      };
    case 'podHealth': {
      const threshold = limits.successThreshold;
      return { ...fromFigure(clusters, figures.podHealth, (v) => ({ status: v >= threshold ? 'pass' : 'fail', value: v })), threshold };
    }
    case 'errorRate': {
      const threshold = limits.maxErrorRateIncrease;
      const judge = (v: Comparison) => {
        const rise = v.window - v.before;
        return { status: rise <= threshold ? ('pass' as const) : ('fail' as const), value: rise };
      };
      return { ...fromFigure(clusters, figures.errorRate, judge), threshold };
    }
    case 'restarts': {
      const threshold = limits.maxRestartIncreaseFactor;
      // The hour before, scaled to the window's length; at least one restart is always allowed.
      const judge = (v: Comparison) => {
        const expected = Math.max(1, (v.before * limits.windowSeconds) / 3600);
        return { status: v.window <= threshold * expected ? ('pass' as const) : ('fail' as const), value: v.window };
      };
      return { ...fromFigure(clusters, figures.restarts, judge), threshold };
    }
    case 'violationsIntroduced': {
      const counts = valuesOf(figures.violationCounts);
      const countsOnly = new Set(introduced.countsOnly);
      return {
        threshold: 0,
        perCluster: clusters.map((cluster): Measured => {
          if (countsOnly.has(cluster)) {
            const c = counts?.get(cluster);
            if (!c) return { cluster, status: 'unknown', note: counts ? 'no counts' : 'counts unavailable' };
            const rise = Math.max(0, Math.round(c.window - c.before));
            return { cluster, status: rise > 0 ? 'fail' : 'pass', value: rise, note: 'from counts' };
          }
          if (introduced.unknown.has(cluster)) return { cluster, status: 'unknown', note: 'violations unavailable' };
          const n = introduced.byCluster.get(cluster)?.length ?? 0;
          return { cluster, status: n > 0 ? 'fail' : 'pass', value: n };
        }),
        ...(introduced.countsOnly.length > 0 && 'error' in figures.violationCounts && { error: figures.violationCounts.error }),
      };
    }
    case 'failureThreshold': {
      const reached = isReached(wave, limits.failureThreshold);
      return {
        ...(limits.failureThreshold !== undefined && { threshold: limits.failureThreshold }),
        perCluster: wave.clusters.map((c) => ({
          cluster: c.cluster,
          status: c.state === 'Failed' && reached ? 'fail' : 'pass',
          ...(c.state === 'Failed' && { note: 'Failed' }),
        })),
      };
    }
    case 'promql': {
      const figure = figures.extras.get(spec.id) ?? { error: 'not measured' };
      const { op = '<=', threshold = 0 } = spec;
      return { ...fromFigure(clusters, figure, (v) => ({ status: compare(v, op, threshold) ? 'pass' : 'fail', value: v })), threshold };
    }
  }
}

/** Failed clusters of the wave, and whether they reach the rollout's failure threshold (0 or none: never). */
export function failedCount(wave: Wave): number {
  return wave.clusters.filter((c) => c.state === 'Failed').length;
}
export function isReached(wave: Wave, threshold: number | undefined): boolean {
  return threshold !== undefined && threshold > 0 && failedCount(wave) >= threshold;
}
