import { getNiceTickValues } from 'recharts';
import { describe, expect, it } from 'vitest';

import { axisTicks, fixedYAxis, niceYAxis } from '../../src/components/chart-domain.ts';
import { bandPath, rowAt, seriesPath } from '../../src/components/chart-paths.tsx';
import type { ChartRow } from '../../src/components/chart-types.ts';

const rows: ChartRow[] = [
  { t: 100, band: [1, 3], w0: 10 },
  { t: 160, band: [2, 4], w0: null },
  { t: 220, band: [2, 5], w0: 12 },
  { t: 280, band: [1, 2], w0: 14 },
];
const x = (t: number) => t - 100;
const y = (v: number) => 100 - v;

describe('seriesPath', () => {
  it('draws through the points and lifts the pen over a gap', () => {
    expect(seriesPath(rows, 'w0', x, y)).toBe('M0,90M120,88L180,86');
  });

  it('skips values the scales cannot place, and draws nothing for a series with no value', () => {
    const partial = (t: number) => (t === 280 ? undefined : t - 100);
    expect(seriesPath(rows, 'w0', partial, y)).toBe('M0,90M120,88');
    expect(seriesPath(rows, 'w9', x, y)).toBe('');
  });
});

describe('bandPath', () => {
  it('goes along the high edge, back along the low one, and closes', () => {
    expect(bandPath(rows, 'band', x, y)).toBe('M0,97L60,96L120,95L180,98L180,99L120,98L60,98L0,99Z');
  });

  it('ends a shape at a gap and starts the next after it', () => {
    const gappy: ChartRow[] = [rows[0]!, { t: 160, band: null }, rows[2]!, rows[3]!, { t: 340, band: [Number.NaN, 1] }];
    expect(bandPath(gappy, 'band', x, y)).toBe('M0,97L0,99ZM120,95L180,98L180,99L120,98Z');
  });

  it('skips points the scales cannot place, and draws nothing for a series with no band', () => {
    const partial = (t: number) => (t === 280 ? undefined : t - 100);
    expect(bandPath(rows, 'band', partial, y)).toBe('M0,97L60,96L120,95L120,98L60,98L0,99Z');
    expect(bandPath(rows, 'w0', x, y)).toBe('');
  });
});

/** The step between ticks is 1, 2 or 5 × 10ⁿ and the same all along (within float rounding). */
function expectNiceSteps(ticks: number[]) {
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  const step = ticks[1]! - ticks[0]!;
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
  ticks.forEach((t, i) => expect(t).toBeCloseTo(ticks[0]! + i * step, 9));
}

describe('axisTicks', () => {
  it('places about five ticks at a nice step, the outer ones covering the values', () => {
    expect(axisTicks(0, 1, true)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisTicks(0, 100, true)).toEqual([0, 20, 40, 60, 80, 100]);
    for (const [lo, hi] of [
      [1, 14],
      [0.0213, 0.0871],
      [-3.5, 12.25],
      [1_200_000, 9_800_000_000],
      [99.1, 99.4],
    ] as const) {
      const ticks = axisTicks(lo, hi, true);
      expectNiceSteps(ticks);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(11);
      expect(ticks[0]).toBeLessThanOrEqual(lo);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(hi);
    }
  });

  it('gives counts whole-number ticks only, even over a span of one or two', () => {
    expect(axisTicks(0, 2, false)).toEqual([0, 1, 2]);
    for (const [lo, hi] of [
      [0, 1],
      [3, 4],
      [0, 37],
    ] as const) {
      const ticks = axisTicks(lo, hi, false);
      expect(ticks.every(Number.isInteger)).toBe(true);
      expect(ticks[0]).toBeLessThanOrEqual(lo);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(hi);
    }
  });

  it('puts a span around one value alone, not below zero for a value that is not', () => {
    expect(axisTicks(0, 0, false)).toEqual([0, 1]);
    const five = axisTicks(5, 5, true);
    expect(five[0]).toBeGreaterThanOrEqual(0);
    expect(five[0]).toBeLessThan(5);
    expect(five.at(-1)).toBeGreaterThan(5);
    const negative = axisTicks(-4, -4, true);
    expect(negative[0]).toBeLessThan(-4);
    expect(negative.at(-1)).toBeLessThanOrEqual(0);
  });
});

describe('fixedYAxis', () => {
  it('gives recharts’ ticks over the domain, and the same axis object for the same domain', () => {
    const axis = fixedYAxis([0, 1], true);
    expect(axis).toEqual({ domain: [0, 1], ticks: getNiceTickValues([0, 1], 5, true) });
    expect(fixedYAxis([0, 1], true)).toBe(axis);
    expect(fixedYAxis([0, 1], false)).not.toBe(axis);
    expect(fixedYAxis([0, 100], true).ticks).toEqual(getNiceTickValues([0, 100], 5, true));
  });
});

describe('rowAt', () => {
  it('finds the row at a time given as a number or as text, and nothing between rows', () => {
    expect(rowAt(rows, 220)).toBe(rows[2]);
    expect(rowAt(rows, '160')).toBe(rows[1]);
    expect(rowAt(rows, 161)).toBeUndefined();
    expect(rowAt(rows, undefined)).toBeUndefined();
    expect(rowAt([], 100)).toBeUndefined();
  });
});

describe('niceYAxis', () => {
  it('covers every value of the visible series, bands included, with nice ticks', () => {
    const axis = niceYAxis(rows, ['band', 'w0'], true)!;
    expect(axis.ticks).toEqual(axisTicks(1, 14, true));
    expectNiceSteps(axis.ticks);
    expect(axis.domain[0]).toBeLessThanOrEqual(1);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(14);
    expect(axis.domain).toEqual([axis.ticks[0], axis.ticks.at(-1)]);
  });

  it('leaves out hidden series, and has nothing to say without values', () => {
    const axis = niceYAxis(rows, ['band'], true)!;
    expect(axis.domain[1]).toBeLessThan(10);
    expect(niceYAxis(rows, ['w9'], true)).toBeUndefined();
  });
});
