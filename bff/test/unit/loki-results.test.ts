import { describe, expect, it } from 'vitest';

import type { LokiStream } from '@fleetdeck/shared';

import { logAccess } from '../../src/access/logql/index.ts';
import { ScopeFilter, mergeStreams, uniqueLabelSets } from '../../src/sources/loki/scoped-results.ts';

const access = logAccess([
  { clusters: ['prod-a'], namespaces: '*' },
  { clusters: ['dev-a', 'staging-a'], namespaces: ['client-a-*'] },
]);
const filter = new ScopeFilter(access);

describe('ScopeFilter (defence in depth on Loki answers)', () => {
  it('drops streams of clusters outside the access, or of namespaces outside a limited group', () => {
    expect(filter.allows({ cluster: 'prod-a' }, true)).toBe(true);
    expect(filter.allows({ cluster: 'prod-a', namespace: 'kube-system' }, true)).toBe(true);
    expect(filter.allows({ cluster: 'dev-a', namespace: 'client-a-apps' }, true)).toBe(true);
    expect(filter.allows({ cluster: 'dev-a', namespace: 'kube-system' }, true)).toBe(false);
    expect(filter.allows({ cluster: 'dev-a' }, true)).toBe(false);
    expect(filter.allows({ cluster: 'prod-eu-west' }, true)).toBe(false);
    expect(filter.allows({ namespace: 'client-a-apps' }, true)).toBe(false);
  });

  it('keeps aggregated metric series without the labels, but checks the labels they carry', () => {
    expect(filter.allows({}, false)).toBe(true);
    expect(filter.allows({ level: 'error' }, false)).toBe(true);
    expect(filter.allows({ cluster: 'prod-eu-west' }, false)).toBe(false);
    expect(filter.allows({ cluster: 'dev-a' }, false)).toBe(true);
    expect(filter.allows({ cluster: 'dev-a', namespace: 'kube-system' }, false)).toBe(false);
    const devOnly = new ScopeFilter(logAccess([{ clusters: ['dev-a'], namespaces: ['client-a-*'] }]));
    expect(devOnly.allows({ namespace: 'kube-system' }, false)).toBe(false);
    expect(devOnly.allows({ namespace: 'client-a-jobs' }, false)).toBe(true);
  });

  it('filters cluster and namespace label values', () => {
    expect(filter.labelValues('cluster', ['dev-a', 'prod-a', 'prod-eu-west'])).toEqual(['dev-a', 'prod-a']);
    const devOnly = new ScopeFilter(logAccess([{ clusters: ['dev-a'], namespaces: ['client-a-*'] }]));
    expect(devOnly.labelValues('namespace', ['client-a-apps', 'client-b-apps', 'kube-system'])).toEqual(['client-a-apps']);
    expect(devOnly.labelValues('pod', ['x', 'y'])).toEqual(['x', 'y']);
  });

  it('filters every result type', () => {
    const streams = filter.queryData({
      resultType: 'streams',
      result: [
        { stream: { cluster: 'prod-a' }, values: [['1', 'ok']] },
        { stream: { cluster: 'prod-eu-west' }, values: [['2', 'secret']] },
      ],
    });
    expect(JSON.stringify(streams)).not.toContain('secret');
    const matrix = filter.queryData({ resultType: 'matrix', result: [{ metric: { cluster: 'prod-eu-west' }, values: [[1, '1']] }] });
    expect(matrix.result).toEqual([]);
  });
});

describe('mergeStreams', () => {
  const a = [
    {
      stream: { cluster: 'a' },
      values: [
        ['30', 'a3'],
        ['10', 'a1'],
      ] as [string, string][],
    },
  ];
  const b = [
    {
      stream: { cluster: 'b' },
      values: [
        ['20', 'b2'],
        ['5', 'b0'],
      ] as [string, string][],
    },
  ];

  it('orders newest first by default and cuts to the limit', () => {
    const merged = mergeStreams([a, b], 3, 'backward');
    expect(merged).toEqual([
      {
        stream: { cluster: 'a' },
        values: [
          ['30', 'a3'],
          ['10', 'a1'],
        ],
      },
      { stream: { cluster: 'b' }, values: [['20', 'b2']] },
    ]);
  });

  it('respects direction=forward (oldest first)', () => {
    const merged = mergeStreams([a, b], 2, 'forward');
    expect(merged).toEqual([
      { stream: { cluster: 'b' }, values: [['5', 'b0']] },
      { stream: { cluster: 'a' }, values: [['10', 'a1']] },
    ]);
  });

  it("passes one group's answer on as Loki cut and ordered it, and still cuts one that is over the limit", () => {
    const one = [...a, ...b];
    const passed = mergeStreams([one], 4, 'backward');
    expect(passed).toEqual(one);
    expect(passed[0]).toBe(one[0]);
    expect(mergeStreams([one], 3, 'backward')).toEqual([
      {
        stream: { cluster: 'a' },
        values: [
          ['30', 'a3'],
          ['10', 'a1'],
        ],
      },
      { stream: { cluster: 'b' }, values: [['20', 'b2']] },
    ]);
  });

  it('compares nanosecond timestamps exactly (beyond 2^53)', () => {
    const x = [{ stream: { s: 'x' }, values: [['1700000000000000001', 'late']] as [string, string][] }];
    const y = [{ stream: { s: 'y' }, values: [['1700000000000000000', 'early']] as [string, string][] }];
    expect(mergeStreams([y, x], 1, 'backward')[0]!.values[0]![1]).toBe('late');
  });

  it('merges like a stable sort of every entry, for any direction, limit, ties and out-of-order streams', () => {
    // The reference: the former implementation (every entry, BigInt times, stable sort by time then arrival).
    const reference = (parts: LokiStream[][], limit: number, direction: 'forward' | 'backward') => {
      if (parts.length === 1 && parts[0]!.reduce((n, s) => n + s.values.length, 0) <= limit) return parts[0]!;
      const sign = direction === 'forward' ? 1 : -1;
      const entries = parts.flatMap((p) =>
        p.flatMap((s) => s.values.map((v) => ({ key: JSON.stringify(Object.entries(s.stream).sort()), stream: s.stream, v }))),
      );
      const sorted = entries
        .map((e, seq) => ({ ...e, seq }))
        .sort((a, b) => {
          const [x, y] = [BigInt(a.v[0]), BigInt(b.v[0])];
          return x < y ? -sign : x > y ? sign : a.seq - b.seq;
        });
      const out = new Map<string, LokiStream>();
      for (const e of sorted.slice(0, limit)) {
        if (!out.has(e.key)) out.set(e.key, { stream: e.stream, values: [] });
        out.get(e.key)!.values.push(e.v);
      }
      return [...out.values()];
    };
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 300; round++) {
      const direction = rand(2) === 0 ? 'forward' : 'backward';
      const parts: LokiStream[][] = Array.from({ length: 1 + rand(3) }, () =>
        Array.from({ length: rand(4) }, () => {
          const values: [string, string][] = Array.from({ length: rand(6) }, () => [
            String(1_700_000_000_000_000_000n + BigInt(rand(20) * 10 ** rand(3))),
            `l${rand(1000)}`,
          ]);
          // Mostly in the query's direction, as Loki sends them; sometimes not.
          if (rand(4) !== 0)
            values.sort(
              (x, y) => (direction === 'forward' ? 1 : -1) * (BigInt(x[0]) < BigInt(y[0]) ? -1 : BigInt(x[0]) > BigInt(y[0]) ? 1 : 0),
            );
          return { stream: { pod: `p${rand(3)}`, cluster: `c${rand(2)}` }, values };
        }),
      );
      const limit = 1 + rand(20);
      expect(mergeStreams(parts, limit, direction), `round ${round}`).toEqual(reference(parts, limit, direction));
    }
  });

  it('deduplicates label sets', () => {
    expect(uniqueLabelSets([{ a: '1', b: '2' }, { b: '2', a: '1' }, { a: '2' }])).toEqual([{ a: '1', b: '2' }, { a: '2' }]);
  });
});
