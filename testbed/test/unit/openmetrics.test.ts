import { describe, expect, it } from 'vitest';

import { SEEDED_METRICS, generateOpenMetrics } from '../../src/prom/openmetrics.ts';

const clusters = [
  { name: 'a', tenant: 't1', env: 'production', nodes: 3 },
  { name: 'b', tenant: 't2', env: 'dev', nodes: 5 },
];

describe('generateOpenMetrics', () => {
  const text = [...generateOpenMetrics({ clusters, end: new Date('2026-11-24T10:00:00Z'), hours: 2 })].join('');
  const lines = text.trimEnd().split('\n');

  it('ends with # EOF and declares every family once, its samples contiguous', () => {
    expect(lines.at(-1)).toBe('# EOF');
    const types = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(types).toEqual([...SEEDED_METRICS]);
    let family = '';
    const seen = new Set<string>();
    for (const l of lines) {
      if (l.startsWith('# TYPE ')) {
        family = l.split(' ')[2]!;
        expect(seen.has(family)).toBe(false);
        seen.add(family);
      } else if (!l.startsWith('#')) expect(l.startsWith(family)).toBe(true);
    }
  });

  it('has every metric for every cluster, two hours at one minute, timestamps ascending', () => {
    for (const metric of SEEDED_METRICS) {
      for (const c of clusters) {
        const series = lines.filter(
          (l) => (l.startsWith(`${metric}{`) || l.startsWith(`${metric}_total{`)) && l.includes(`cluster="${c.name}"`),
        );
        expect(series.length, `${metric} ${c.name}`).toBeGreaterThanOrEqual(120);
      }
    }
    const up = lines.filter((l) => l.startsWith('up{') && l.includes('cluster="a"')).map((l) => Number(l.split(' ').at(-1)));
    expect(up).toHaveLength(120);
    expect(up.every((t, i) => i === 0 || t - up[i - 1]! === 60)).toBe(true);
  });

  it('keeps counters monotonic', () => {
    for (const metric of ['container_cpu_usage_seconds_total', 'apiserver_authentication_failures_total']) {
      const values = lines.filter((l) => l.startsWith(`${metric}{`) && l.includes('cluster="b"')).map((l) => Number(l.split(' ').at(-2)));
      expect(values.length).toBe(120);
      expect(values.every((v, i) => i === 0 || v >= values[i - 1]!)).toBe(true);
    }
  });
});
