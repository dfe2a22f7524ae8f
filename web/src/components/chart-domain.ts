import { getNiceTickValues } from 'recharts';

import type { ChartRow } from './chart-types.ts';

/** recharts' default tick count for a number axis. */
const TICKS = 5;

/**
 * The y axis for values recharts does not see (lines drawn outside its store, see
 * SeriesPaths): the extent of every value of the given series, widened to nice ticks the
 * way recharts' own `auto` domain is (its getNiceTickValues), with those ticks. Undefined
 * when there is no value.
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
  const ticks = getNiceTickValues([lo, hi], TICKS, allowDecimals);
  return { domain: [Math.min(lo, ticks[0] ?? lo), Math.max(hi, ticks.at(-1) ?? hi)], ticks };
}

/** Fixed axes by domain: a ratio's 0–1 is worked out once, not per panel and redraw (recharts' ticks use decimal.js, slow when cold). */
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
