import type { Sample } from '@fleetdeck/shared';
import { describe, expect, it } from 'vitest';

import { byCluster } from '../../src/sources/health/prometheus-panels.ts';
import { latestTable, quantileBand, quantileSorted, summarize, worstClusters } from '../../src/sources/health/summarize.ts';

const s = (...points: [number, number][]): Sample[] => points;

describe('fleet panel summaries', () => {
  it('compute quantiles as Prometheus does (linear between ranks)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10], 0.95)).toBe(10);
    expect(quantileSorted([0, 100], 0.95)).toBeCloseTo(95);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('band the fleet at each time over the clusters that reported then', () => {
    const series = new Map(Array.from({ length: 21 }, (_, i) => [`c${i}`, i === 20 ? s([0, 1000]) : s([0, i], [60, 2 * i])] as const));
    const band = quantileBand(series);
    expect(band.map((b) => b.t)).toEqual([0, 60]);
    // t=0: 0…19 and 1000 (21 values): p50 at rank 10, p95 at rank 19 — the outlier moves neither.
    expect(band[0]).toMatchObject({ t: 0, p50: 10, min: 0, max: 1000, n: 21 });
    expect(band[0]!.p95).toBeCloseTo(19, 6);
    expect(band[1]).toMatchObject({ p50: 19, min: 0, max: 38, n: 20 });
  });

  it('table every cluster’s latest value with its time, and rank the worst by the panel’s direction', () => {
    const series = new Map([
      ['a', s([0, 0.9], [60, 0.99])],
      ['b', s([0, 0.5])],
      ['c', s([0, 0.2], [60, 0.7])],
      ['d', s([0, 0.7], [60, 0.7])],
    ]);
    const table = latestTable(series);
    expect(table).toEqual([
      { cluster: 'a', value: 0.99, at: 60 },
      { cluster: 'b', value: 0.5, at: 0 },
      { cluster: 'c', value: 0.7, at: 60 },
      { cluster: 'd', value: 0.7, at: 60 },
    ]);
    expect(worstClusters(series, table, 'lower', 3).map((w) => w.cluster)).toEqual(['b', 'c', 'd']);
    expect(worstClusters(series, table, 'higher', 2).map((w) => w.cluster)).toEqual(['a', 'c']);
    expect(worstClusters(series, table, 'higher', 1)[0]!.points).toEqual(series.get('a'));
    expect(worstClusters(series, table, 'higher', 0)).toEqual([]);
    expect(summarize(new Map(), 'higher', 5)).toEqual({ band: [], worst: [], table: [] });
  });

  it('reads Prometheus’ matrix as one finite series per cluster, dropping NaN and rows without a cluster', () => {
    const m = byCluster([
      {
        metric: { cluster: 'a' },
        values: [
          [0, '1'],
          [60, 'NaN'],
          [120, '+Inf'],
          [180, '0.5'],
        ],
      },
      { metric: {}, values: [[0, '7']] },
      { metric: { cluster: 'a' }, values: [[0, '9']] },
      { metric: { cluster: 'b' }, values: [[0, 'NaN']] },
    ]);
    expect([...m.entries()]).toEqual([
      [
        'a',
        [
          [0, 1],
          [180, 0.5],
        ],
      ],
    ]);
  });
});
