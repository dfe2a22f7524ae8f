import {
  DEFAULT_HEALTH_RANGE,
  HEALTH_DEFAULT_WIDTH,
  HEALTH_MAX_POINTS,
  HEALTH_MAX_SPAN_SECONDS,
  HEALTH_RANGE_SECONDS,
  type HealthRange,
  type HealthWindow,
} from '@fleetdeck/shared';

/** The time window a panel query runs over, in unix seconds. */
export interface ResolvedWindow {
  range: HealthRange | 'custom';
  from: number;
  to: number;
  step: number;
}

/** A window that cannot be queried; the message says what to change. */
export class WindowError extends Error {
  override name = 'WindowError';
}

// Steps a person reads easily on an axis, and that line up with scrape intervals.
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

export const pointsOf = (span: number, step: number) => Math.floor(span / step) + 1;

/**
 * The smallest readable step at which `span` gives at most `maxPoints` points per series
 * (and never fewer seconds than `minStep`, the scrape interval below which points only repeat).
 */
export function chooseStep(span: number, maxPoints: number, minStep = 15): number {
  const points = Math.max(2, Math.min(Math.floor(maxPoints), HEALTH_MAX_POINTS));
  const raw = Math.max(minStep, span / (points - 1));
  const nice = NICE_STEPS.find((s) => s >= raw);
  const step = nice ?? Math.ceil(raw / 86_400) * 86_400;
  return pointsOf(span, step) <= points ? step : step * 2;
}

export interface WindowRequest {
  range?: HealthRange | undefined;
  from?: string | undefined;
  to?: string | undefined;
  width?: number | undefined;
  step?: number | undefined;
}

export interface WindowOptions {
  now: Date;
  /** How many series the query answers (clusters): more series, fewer points each. */
  series?: number;
  /** Points of all series together a panel may ask for (its answer's size). */
  pointBudget?: number;
  minStep?: number;
}

/**
 * Resolves a request (`range` ending now, or `from`/`to`) to a window whose step gives about
 * one point per pixel of `width`, at most 11,000 points per series and, over many series,
 * at most `pointBudget` points in all. An explicit `step` is kept, or refused when it asks
 * for too many points. Preset windows end on a step boundary, so refreshes share one grid.
 */
export function resolveWindow(q: WindowRequest, opts: WindowOptions): ResolvedWindow {
  let from: number;
  let to: number;
  let range: HealthRange | 'custom';
  if (q.from !== undefined || q.to !== undefined) {
    if (q.from === undefined || q.to === undefined) throw new WindowError('give both from and to');
    if (q.range !== undefined) throw new WindowError('give either range or from and to, not both');
    from = Date.parse(q.from) / 1000;
    to = Date.parse(q.to) / 1000;
    range = 'custom';
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new WindowError('from and to must be RFC 3339 times');
  } else {
    range = q.range ?? DEFAULT_HEALTH_RANGE;
    to = opts.now.getTime() / 1000;
    from = to - HEALTH_RANGE_SECONDS[range];
  }
  const span = to - from;
  if (!(span > 0)) throw new WindowError('to must be after from');
  if (span > HEALTH_MAX_SPAN_SECONDS) throw new WindowError(`a range may span at most ${HEALTH_MAX_SPAN_SECONDS / 86_400} days`);
  let step: number;
  if (q.step !== undefined) {
    step = q.step;
    const points = pointsOf(span, step);
    if (points > HEALTH_MAX_POINTS) {
      throw new WindowError(
        `a ${Math.round(span)} s range at a ${step} s step is ${points.toLocaleString('en')} points per series, more than ` +
          `${HEALTH_MAX_POINTS.toLocaleString('en')}; use a step of at least ${Math.ceil(span / (HEALTH_MAX_POINTS - 1))} s or a shorter range`,
      );
    }
  } else {
    const width = q.width ?? HEALTH_DEFAULT_WIDTH;
    const perSeries = opts.pointBudget && opts.series ? Math.floor(opts.pointBudget / Math.max(1, opts.series)) : width;
    step = chooseStep(span, Math.min(width, Math.max(2, perSeries)), opts.minStep);
  }
  if (range !== 'custom') {
    to = Math.floor(to / step) * step;
    from = to - span;
  }
  return { range, from, to, step };
}

export function windowJson(w: ResolvedWindow): HealthWindow {
  return { range: w.range, from: new Date(w.from * 1000).toISOString(), to: new Date(w.to * 1000).toISOString(), step: w.step };
}
