import { describe, expect, it } from 'vitest';

import { timeTicks } from '../../src/components/chart-time.ts';

describe('time axis ticks', () => {
  const hour = 3600;
  // A fixed instant; the assertions read the zone's offset, so they hold in any time zone.
  const day = Date.UTC(2026, 10, 26) / 1000;

  it('gives at most the asked number of ticks, inside the window, on one round step', () => {
    for (const span of [15 * 60, hour, 6 * hour, 24 * hour, 7 * 24 * hour, 30 * 24 * hour, 400 * 24 * hour]) {
      const from = day + 1234;
      const ticks = timeTicks([from, from + span]);
      expect(ticks.length, `span ${span}`).toBeGreaterThan(0);
      expect(ticks.length, `span ${span}`).toBeLessThanOrEqual(6);
      for (const t of ticks) expect(t).toBeGreaterThanOrEqual(from);
      for (const t of ticks) expect(t).toBeLessThanOrEqual(from + span);
      const steps = new Set(ticks.slice(1).map((t, i) => t - ticks[i]!));
      expect(steps.size, `span ${span}`).toBeLessThanOrEqual(1);
    }
  });

  it('lands on readable clock times: a day window ticks on whole hours of a round step', () => {
    const ticks = timeTicks([day + 17 * 60, day + 24 * hour + 17 * 60]);
    const offset = -new Date(ticks[0]! * 1000).getTimezoneOffset() * 60;
    for (const t of ticks) expect((t + offset) % (6 * hour)).toBe(0);
    expect(ticks).toHaveLength(4);
  });

  it('a 15-minute window ticks every few minutes; an empty or reversed window has none', () => {
    const ticks = timeTicks([day, day + 15 * 60]);
    expect(ticks[1]! - ticks[0]!).toBe(300);
    expect(timeTicks([day, day])).toEqual([]);
    expect(timeTicks([day, day - 10])).toEqual([]);
    expect(timeTicks([day, day + hour], 0)).toEqual([]);
  });
});
