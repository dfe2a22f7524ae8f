import type { ExtraReadinessCheck } from '../promotion-config.ts';

/**
 * The measured inputs of a readiness evaluation, per cluster of the wave. Where they come
 * from (Prometheus in real mode, the demo's series in demo mode) is the figures source's
 * business; the evaluation itself (evaluate.ts) is pure.
 */

/** One figure for every cluster that has data, or why the upstream gave none (safe to show). */
export type Figure<T> = { values: ReadonlyMap<string, T> } | { error: string };

/** A value over the wave's window beside the same over the baseline (the hour before, or at the wave's start). */
export interface Comparison {
  window: number;
  before: number;
}

export interface WaveFigures {
  /** Share of pods Running or Succeeded, now. */
  podHealth: Figure<number>;
  /** Share of API server requests answered 5xx: during the window, and over the hour before it. */
  errorRate: Figure<Comparison>;
  /** Container restarts: during the window, and over the hour before it. */
  restarts: Figure<Comparison>;
  /** Clusters without a connection (counts only): violation counts now (`window`) and at the wave's start (`before`). */
  violationCounts: Figure<Comparison>;
  /** Configured PromQL checks, by id. */
  extras: ReadonlyMap<string, Figure<number>>;
}

export interface FiguresRequest {
  /** Every cluster of the wave (the verdict must not depend on who asks). */
  clusters: readonly string[];
  /** The wave's clusters whose violations are known only from metrics. */
  countsOnly: readonly string[];
  start: Date;
  end: Date;
  extras: readonly ExtraReadinessCheck[];
}

export interface FiguresSource {
  /** Never throws for an upstream failure: each figure carries its own error. */
  figures(request: FiguresRequest): Promise<WaveFigures>;
}

export const valuesOf = <T>(f: Figure<T>): ReadonlyMap<string, T> | undefined => ('values' in f ? f.values : undefined);

/** Seconds as a PromQL duration (`1234s`), at least `min` seconds. */
export function promDuration(seconds: number, min = 60): string {
  return `${Math.max(min, Math.round(seconds))}s`;
}
