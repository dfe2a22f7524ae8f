import { nice, ticks as niceTicks } from 'd3-array';
import { getNiceTickValues } from 'recharts';

import type { ChartRow } from './chart-types.ts';

/** recharts' default tick count for a number axis. */
const TICKS = 5;

/**
 * About `TICKS` ticks at a step of 1, 2 or 5 × 10ⁿ over [lo, hi], widened outward to the
 * nearest ticks (d3-array's nice/ticks, plain floating point). recharts' own getNiceTickValues
 * does this in decimal.js: ~2 ms an axis when its code is cold, nine axes a range change.
 * One value alone gets a span around it; counts get whole-number ticks only.
 */
export function axisTicks(lo: number, hi: number, allowDecimals: boolean): number[] {
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    // A zero-based quantity (a count, a ratio) stays on its side of zero.
    [lo, hi] = lo >= 0 ? [Math.max(0, lo - pad), hi + pad] : [lo - pad, Math.min(0, hi + pad)];
  }
  let [a, b] = nice(lo, hi, TICKS);
  if (!allowDecimals) [a, b] = [Math.floor(a), Math.ceil(b)];
  const ticks = niceTicks(a, b, TICKS);
  return allowDecimals ? ticks : ticks.filter(Number.isInteger);
}

/**
 * The y axis for values recharts does not see (lines drawn outside its store, see
 * SeriesPaths): the extent of every value of the given series, widened to nice ticks
 * (axisTicks) as recharts' own `auto` domain would be, with those ticks. Undefined when
 * there is no value.
 */
export function niceYAxis(
  rows: readonly ChartRow[],
  keys: readonly string[],
  allowDecimals: boolean,
): { domain: [number, number]; ticks: number[] } | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number) => {
    if (!Number.isFinite(v)) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const row of rows) {
    for (const key of keys) {
      const v = row[key];
      if (typeof v === 'number') see(v);
      else if (Array.isArray(v)) {
        see(v[0]);
        see(v[1]);
      }
    }
  }
  if (lo > hi) return undefined;
  const ticks = axisTicks(lo, hi, allowDecimals);
  return { domain: [Math.min(lo, ticks[0] ?? lo), Math.max(hi, ticks.at(-1) ?? hi)], ticks };
}

/**
 * Fixed axes by domain, worked out once (not per panel and redraw), so they may use recharts'
 * own steps: a ratio reads 0, 25, 50, 75, 100 %.
 */
const fixedAxes = new Map<string, { domain: [number, number]; ticks: number[] }>();

/** Nice ticks over a fixed domain (a percentage's 0–100), as recharts would place them. */
export function fixedYAxis(domain: [number, number], allowDecimals: boolean): { domain: [number, number]; ticks: number[] } {
  const key = `${domain[0]} ${domain[1]} ${allowDecimals}`;
  let axis = fixedAxes.get(key);
  if (!axis) {
    axis = { domain: [domain[0], domain[1]], ticks: getNiceTickValues(domain, TICKS, allowDecimals) };
    // Only the units' fixed domains come here: a handful of entries.
    fixedAxes.set(key, axis);
  }
  return axis;
}
