import { getNiceTickValues } from 'recharts';
import { describe, expect, it } from 'vitest';

import { fixedYAxis, niceYAxis } from '../../src/components/chart-domain.ts';
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
  it('covers every value of the visible series, bands included, with recharts’ own nice ticks', () => {
    const axis = niceYAxis(rows, ['band', 'w0'], true)!;
    expect(axis.ticks).toEqual(getNiceTickValues([1, 14], 5, true));
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
