import { FleetHealthPanelsQuery, HEALTH_MAX_POINTS, HEALTH_RANGE_SECONDS, HealthRange } from '@fleetdeck/shared';
import { describe, expect, it } from 'vitest';

import { WindowError, chooseStep, pointsOf, resolveWindow } from '../../src/sources/health/window.ts';

const now = new Date('2026-11-25T12:34:56Z');

describe('health windows', () => {
  it('never ask for more than 11,000 points per series, whatever the span and width', () => {
    for (const span of [60, 900, 3600, 86_400, 7 * 86_400, 90 * 86_400, 400 * 86_400]) {
      for (const width of [1, 50, 800, 4000, 20_000, 1e9]) {
        const step = chooseStep(span, width);
        expect(pointsOf(span, step), `${span}/${width}`).toBeLessThanOrEqual(Math.min(HEALTH_MAX_POINTS, Math.max(2, width)));
        expect(step).toBeGreaterThanOrEqual(15);
      }
    }
  });

  it('give about one point per pixel, on readable steps, for every preset range', () => {
    const steps = Object.fromEntries(HealthRange.options.map((r) => [r, resolveWindow({ range: r, width: 800 }, { now }).step]));
    expect(steps).toEqual({ '15m': 15, '1h': 15, '6h': 30, '24h': 120, '7d': 900 });
    for (const r of HealthRange.options) {
      const w = resolveWindow({ range: r, width: 800 }, { now });
      expect(w.to - w.from).toBe(HEALTH_RANGE_SECONDS[r]);
      expect(w.to % w.step).toBe(0);
      expect(w.to).toBeLessThanOrEqual(now.getTime() / 1000);
      expect(pointsOf(w.to - w.from, w.step)).toBeLessThanOrEqual(800);
    }
  });

  it('coarsen the step when many clusters share a point budget', () => {
    const one = resolveWindow({ range: '24h', width: 800 }, { now, series: 1, pointBudget: 400_000 });
    const many = resolveWindow({ range: '24h', width: 800 }, { now, series: 1000, pointBudget: 400_000 });
    expect(many.step).toBeGreaterThan(one.step);
    expect(1000 * pointsOf(86_400, many.step)).toBeLessThanOrEqual(400_000);
  });

  it('keep a custom from/to as given, and an explicit step when it fits', () => {
    const w = resolveWindow({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', step: 60 }, { now });
    expect(w).toEqual({
      range: 'custom',
      from: Date.parse('2026-11-01T00:00:00Z') / 1000,
      to: Date.parse('2026-11-02T00:00:00Z') / 1000,
      step: 60,
    });
  });

  it('refuse a 1-year range at a 1 s step clearly, in the schema and in the resolver', () => {
    const q = { from: '2025-11-25T00:00:00Z', to: '2026-11-25T00:00:00Z', step: '1' };
    const parsed = FleetHealthPanelsQuery.safeParse(q);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({
      path: ['step'],
      message: expect.stringMatching(/more than 11,000 points per series/) as unknown,
    });
    expect(() => resolveWindow({ from: q.from, to: q.to, step: 1 }, { now })).toThrow(WindowError);
    expect(() => resolveWindow({ from: q.from, to: q.to, step: 1 }, { now })).toThrow(/31,536,001 points per series.*at least 2868 s/);
    // Without a step the same year is fine: the step follows the width.
    expect(pointsOf(365 * 86_400, resolveWindow({ from: q.from, to: q.to }, { now }).step)).toBeLessThanOrEqual(800);
  });

  it('refuse windows that make no sense', () => {
    expect(() => resolveWindow({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, { now })).toThrow(/after/);
    expect(() => resolveWindow({ from: '2026-11-02T00:00:00Z' }, { now })).toThrow(/both/);
    expect(() => resolveWindow({ range: '1h', from: 'a', to: 'b' }, { now })).toThrow(/either/);
    expect(() => resolveWindow({ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, { now })).toThrow(/400 days/);
    expect(FleetHealthPanelsQuery.safeParse({ range: '2h' }).success).toBe(false);
    expect(FleetHealthPanelsQuery.safeParse({ range: '1h', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }).success).toBe(false);
  });
});
