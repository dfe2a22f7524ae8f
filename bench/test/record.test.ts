import { describe, expect, it } from 'vitest';

import { formatTable, record } from '../lib/record.ts';
import { percentile } from '../lib/stats.ts';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(() => percentile([], 50)).toThrow();
  });
});

describe('record', () => {
  it('computes the ratio to the baseline and whether the goal is met', () => {
    expect(record('fleet', 'x', 2, 'ms', { baseline: 10, goal: 5 })).toEqual({
      area: 'fleet',
      name: 'x',
      value: 2,
      unit: 'ms',
      baseline: 10,
      ratio: 5,
      goal: 5,
      met: true,
    });
    expect(record('fleet', 'y', 7, 'ms', { goal: 5 })).toMatchObject({ baseline: null, ratio: null, met: false });
    expect(formatTable([record('fleet', 'y', 7, 'ms', { goal: 5 })])).toContain('NO');
  });
});
