import { describe, expect, it } from 'vitest';

import { fittingLabels, labelWidth } from '../../src/components/chart-axes.tsx';

const at = (...px: number[]) => px.map((p) => ({ px: p, width: 50 }));

describe('fittingLabels', () => {
  it('shows every label when they have room', () => {
    expect(fittingLabels(at(100, 200, 300), { left: 0, right: 400 })).toEqual([true, true, true]);
  });

  it('shows every other (or every k-th) label on a narrow chart, never two that overlap', () => {
    // 40 px apart, 50 px wide: neighbours overlap; every other one is 80 px apart.
    expect(fittingLabels(at(60, 100, 140, 180, 220), { left: 0, right: 400 })).toEqual([true, false, true, false, true]);
    // 20 px apart: every third is 60 px apart, enough for two 50 px labels and the gap.
    expect(fittingLabels(at(60, 80, 100, 120, 140, 160, 180), { left: 0, right: 400 })).toEqual([
      true,
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it('drops a label that would run past either edge of the chart', () => {
    expect(fittingLabels(at(10, 150, 390), { left: 0, right: 400 })).toEqual([false, true, false]);
  });

  it('estimates a label’s width from its length and the font size', () => {
    expect(labelWidth('04:00 PM', 10)).toBe(48);
  });
});
