import { describe, expect, it } from 'vitest';

import { seededSeries } from '../../src/prom/openmetrics.ts';

const clusters = [{ name: 'prod-us-east', tenant: 'client-a', env: 'production', nodes: 4 }];

describe('the seeded series, continued live', () => {
  it('gives the same seeded window as the OpenMetrics seed, and counters keep growing past its end', () => {
    const end = new Date('2026-11-26T07:00:00Z');
    const a = seededSeries({ clusters, end, hours: 2 });
    const b = seededSeries({ clusters, end, hours: 2 });
    expect(a.points).toBe(120);
    expect(a.start + (a.points - 1) * a.step).toBe(end.getTime() / 1000);
    const cpu = (s: typeof a) => s.families.find((f) => f.name === 'container_cpu_usage_seconds')!.series[0]!;
    // Replaying the window, then asking past it, continues the same counter.
    let last = 0;
    for (let i = 0; i < a.points; i++) last = cpu(a).value(i, a.start + i * a.step);
    const next = cpu(a).value(a.points, a.start + a.points * a.step);
    expect(next).toBeGreaterThan(last);
    // Two builds of the window agree point by point (the seed and the feed see one history).
    for (let i = 0; i < b.points; i++) expect(cpu(b).value(i, b.start + i * b.step)).toBeLessThanOrEqual(last);
    expect(cpu(b).value(b.points - 1, end.getTime() / 1000)).toBe(last);
  });
});
