import { describe, expect, it } from 'vitest';

import { compareNs, entriesOf, newestNs } from '../../../src/features/logs/log-entries.ts';
import { streamSelector } from '../../../src/features/logs/logql-text.ts';
import { volumeRows } from '../../../src/features/logs/logs-queries.ts';
import { tailStart } from '../../../src/features/logs/use-live-tail.ts';

describe('log entries', () => {
  const streams = [
    {
      stream: { pod: 'a' },
      values: [['1764158400000000300', 'ERROR a3'] as [string, string], ['1764158400000000100', 'a1'] as [string, string]],
    },
    { stream: { pod: 'b' }, values: [['1764158400000000200', 'level=warn b2'] as [string, string]] },
  ];

  it('merge streams oldest first, with levels and shared labels', () => {
    const e = entriesOf(streams, 5);
    expect(e.map((x) => x.line)).toEqual(['a1', 'level=warn b2', 'ERROR a3']);
    expect(e.map((x) => x.level)).toEqual(['unknown', 'warn', 'error']);
    expect(e[0]!.labels).toBe(streams[0]!.stream);
    expect(e[0]!.ms).toBe(1_764_158_400_000);
    expect(e.every((x) => x.arrivedAt === 5)).toBe(true);
    expect(new Set(e.map((x) => x.id)).size).toBe(3);
  });

  it('compare nanosecond digits exactly (beyond a double’s precision)', () => {
    expect(compareNs('1764158400000000001', '1764158400000000000')).toBe(1);
    expect(compareNs('999', '1000')).toBeLessThan(0);
    expect(compareNs('5', '5')).toBe(0);
    expect(newestNs(entriesOf(streams))).toBe('1764158400000000300');
    expect(newestNs([])).toBeUndefined();
  });

  it('start a tail just after the newest line shown', () => {
    expect(tailStart(entriesOf(streams))).toBe('1764158400000000301');
    expect(tailStart([])).toBeUndefined();
  });

  it('name a stream by its labels, sorted', () => {
    expect(streamSelector({ pod: 'p', cluster: 'c' })).toBe('{cluster="c", pod="p"}');
    expect(streamSelector({ pod: 'p"1', cluster: 'c' })).toBe('{cluster="c", pod="p\\"1"}');
  });
});

describe('log volume rows', () => {
  it('stack counts per level per bucket; series without a level go to "no level"', () => {
    const { rows, levels } = volumeRows([
      { metric: { level: 'error' }, values: [[60, '2']] },
      {
        metric: { level: 'INFO' },
        values: [
          [0, '5'],
          [60, '1'],
        ],
      },
      { metric: {}, values: [[0, '3']] },
      { metric: { level: 'chatty' }, values: [[0, '4']] },
    ]);
    expect(rows).toEqual([
      { t: 0, info: 5, unknown: 7 },
      { t: 60, error: 2, info: 1 },
    ]);
    expect(levels.toSorted()).toEqual(['error', 'info', 'unknown']);
  });
});
