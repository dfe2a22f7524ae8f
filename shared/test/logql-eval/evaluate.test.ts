import { describe, expect, it } from 'vitest';

import {
  LogQLError,
  evaluateInstant,
  evaluateRange,
  labelNames,
  labelValues,
  matchingLabelSets,
  parseLogQL,
  tailStreams,
  type Entry,
  type LogQuery,
  type LogStore,
  type QueryResultData,
  type StoredStream,
} from '../../src/logql-eval/index.ts';
import { API, OTHER, T0, WEB, at, fleet, store } from './fixture.ts';

const sec = (ns: bigint) => Number((ns - T0) / 1_000_000n) / 1000;
const streamsOf = (d: QueryResultData) => {
  if (d.resultType !== 'streams') throw new Error(`expected streams, got ${d.resultType}`);
  return d.result;
};
const matrixOf = (d: QueryResultData) => {
  if (d.resultType !== 'matrix') throw new Error(`expected matrix, got ${d.resultType}`);
  return d.result;
};
const range = (
  query: string,
  extra: Partial<{ start: bigint; end: bigint; limit: number; direction: 'forward' | 'backward'; step: string }> = {},
) => evaluateRange(fleet, { query, start: T0, end: at(100), limit: 100, direction: 'backward', ...extra });

describe('log queries: the streams envelope', () => {
  it('backward (the default): newest first, the limit taking the newest; ns timestamps as 19-digit strings', () => {
    const data = range('{namespace="client-a-apps"}', { limit: 3 });
    const values = streamsOf(data).flatMap((s) => s.values);
    expect(values.map((v) => sec(BigInt(v[0])))).toEqual([40, 30, 20]);
    for (const [ts] of values) expect(ts).toMatch(/^\d{19}$/);
    expect(data.stats.summary.totalEntriesReturned).toBe(3);
  });
  it('forward: oldest first, the limit taking the oldest; each stream’s values in that order', () => {
    const result = streamsOf(range('{namespace="client-a-apps"}', { limit: 4, direction: 'forward' }));
    expect(result.find((s) => s.stream.pod === 'web-0')!.values.map((v) => sec(BigInt(v[0])))).toEqual([1, 2, 3]);
    expect(result.find((s) => s.stream.pod === 'api-0')!.values.map((v) => sec(BigInt(v[0])))).toEqual([10]);
  });
  it('only matching streams, and only entries in [start, end)', () => {
    const result = streamsOf(range('{cluster="prod-eu-west"}', { start: at(5), end: at(50) }));
    expect(result).toEqual([{ stream: OTHER, values: [[at(5).toString(), 'level=info msg="served" status=200 duration=12']] }]);
  });
  it('the limit counts lines after the pipeline, and stats count what was read', () => {
    const data = range('{namespace=~"client-.+"} |= "error"', { limit: 2 });
    expect(streamsOf(data).flatMap((s) => s.values.map((v) => sec(BigInt(v[0]))))).toEqual([50, 30]);
    expect(data.stats.summary.totalPostFilterLines).toBe(2);
    expect(data.stats.summary.totalLinesProcessed).toBeGreaterThan(2);
    expect(data.stats.summary.totalBytesProcessed).toBeGreaterThan(0);
  });
});

describe('metric queries: the matrix envelope', () => {
  it('count_over_time per stream over (t - range, t], oldest first, [seconds, "value"], no point where nothing was counted', () => {
    const result = matrixOf(range('count_over_time({namespace="client-a-apps"}[10s])', { end: at(40), step: '10' }));
    const api = result.find((r) => r.metric.pod === 'api-0')!;
    expect(api.metric).toEqual(API);
    expect(api.values.map(([t, v]) => [t - Number(T0 / 1_000_000n) / 1000, v])).toEqual([
      [10, '1'],
      [20, '1'],
      [30, '1'],
      [40, '1'],
    ]);
    const web = result.find((r) => r.metric.pod === 'web-0')!;
    expect(web.values.map(([, v]) => v)).toEqual(['3']);
  });
  it('rate divides by the range in seconds; bytes_over_time counts bytes', () => {
    const rate = matrixOf(range('rate({pod="web-0", cluster="prod-us-east"}[10s])', { start: at(10), end: at(10), step: '1' }));
    expect(rate[0]!.values[0]![1]).toBe('0.3');
    const bytes = matrixOf(range('bytes_over_time({pod="web-0", cluster="prod-us-east"}[10s])', { start: at(10), end: at(10), step: '1' }));
    const expected = ['GET /healthz 200 1ms', 'level=error msg="connection refused" upstream=inventory', 'GET /api/orders 500 41ms'].join(
      '',
    ).length;
    expect(bytes[0]!.values[0]![1]).toBe(String(expected));
    const bytesRate = matrixOf(range('bytes_rate({pod="web-0", cluster="prod-us-east"}[10s])', { start: at(10), end: at(10), step: '1' }));
    expect(bytesRate[0]!.values[0]![1]).toBe(String(expected / 10));
  });
  it('sum, sum by, sum without, and the other aggregations', () => {
    const at60 = { start: at(60), end: at(60), step: '1' };
    expect(matrixOf(range('sum(count_over_time({cluster=~"prod-.+"}[1m]))', at60))).toEqual([
      { metric: {}, values: [[expect.any(Number), '9']] },
    ]);
    const byCluster = matrixOf(range('sum by (cluster) (count_over_time({cluster=~"prod-.+"}[1m]))', at60));
    expect(Object.fromEntries(byCluster.map((r) => [r.metric.cluster, r.values[0]![1]]))).toEqual({
      'prod-us-east': '7',
      'prod-eu-west': '2',
    });
    const without = matrixOf(range('sum without (pod, container) (count_over_time({cluster=~"prod-.+"}[1m]))', at60));
    expect(without.map((r) => r.metric).sort((a, b) => a.cluster!.localeCompare(b.cluster!))).toEqual([
      { cluster: 'prod-eu-west', namespace: 'client-b-apps' },
      { cluster: 'prod-us-east', namespace: 'client-a-apps' },
    ]);
    expect(matrixOf(range('max(count_over_time({cluster=~"prod-.+"}[1m]))', at60))[0]!.values[0]![1]).toBe('4');
    expect(matrixOf(range('min(count_over_time({cluster=~"prod-.+"}[1m]))', at60))[0]!.values[0]![1]).toBe('2');
    expect(matrixOf(range('count(count_over_time({cluster=~"prod-.+"}[1m]))', at60))[0]!.values[0]![1]).toBe('3');
    expect(matrixOf(range('avg(count_over_time({cluster=~"prod-.+"}[1m]))', at60))[0]!.values[0]![1]).toBe('3');
  });
  it('sum by a label a parser extracted (the log-volume-by-level shape)', () => {
    const data = range('sum by (level) (count_over_time({pod="api-0"} | json | __error__="" [1m]))', {
      start: at(60),
      end: at(60),
      step: '1',
    });
    expect(Object.fromEntries(matrixOf(data).map((r) => [r.metric.level, r.values[0]![1]]))).toEqual({ info: '1', warn: '1', error: '1' });
  });
  it('a parser error in a metric query fails it, as in Loki, unless __error__ is filtered', () => {
    expect(() => range('sum(count_over_time({pod="api-0"} | json [1m]))')).toThrow(/pipeline error: 'JSONParserErr'/);
  });
  it('or (the enforcer joins per-group branches with it), and, unless, and arithmetic', () => {
    const at60 = { start: at(60), end: at(60), step: '1' };
    const union = matrixOf(
      range('sum by (cluster) ((count_over_time({cluster="prod-us-east"}[1m]) or count_over_time({cluster="prod-eu-west"}[1m])))', at60),
    );
    expect(Object.fromEntries(union.map((r) => [r.metric.cluster, r.values[0]![1]]))).toEqual({ 'prod-us-east': '7', 'prod-eu-west': '2' });
    const left = 'count_over_time({cluster=~"prod-.+"}[1m])';
    expect(matrixOf(range(`${left} and count_over_time({pod="api-0"}[1m])`, at60)).map((r) => r.metric.pod)).toEqual(['api-0']);
    expect(
      matrixOf(range(`${left} unless count_over_time({pod="api-0"}[1m])`, at60))
        .map((r) => r.metric.pod)
        .sort(),
    ).toEqual(['web-0', 'web-0']);
    // Loki's precedence, though Grafana's grammar nests `* 2 + 1` to the right.
    expect(matrixOf(range('sum(count_over_time({cluster=~"prod-.+"}[1m])) * 2 + 1', at60))[0]!.values[0]![1]).toBe('19');
    expect(matrixOf(range('1 + sum(count_over_time({cluster=~"prod-.+"}[1m])) * 2', at60))[0]!.values[0]![1]).toBe('19');
    expect(matrixOf(range('sum(count_over_time({cluster=~"prod-.+"}[1m])) * (2 + 1)', at60))[0]!.values[0]![1]).toBe('27');
    expect(matrixOf(range('20 - sum(count_over_time({cluster=~"prod-.+"}[1m])) - 1', at60))[0]!.values[0]![1]).toBe('10');
    expect(
      matrixOf(range('sum(count_over_time({pod="api-0"}[1m])) / sum(count_over_time({pod="web-0"}[1m]))', at60))[0]!.values[0]![1],
    ).toBe('0.8');
  });
  it('the default step spreads the range over about 250 points; more than 11,000 points is refused', () => {
    const result = matrixOf(range('count_over_time({pod="api-0"}[1h])', { start: at(40), end: at(1040) }));
    expect(result[0]!.values.length).toBe(251);
    expect(() => range('count_over_time({pod="api-0"}[1m])', { start: at(0), end: at(20_000), step: '1' })).toThrow(/11000 points/);
  });
});

describe('instant queries: the vector envelope', () => {
  it('answers a metric query at one time', () => {
    const data = evaluateInstant(fleet, { query: 'sum by (cluster) (rate({cluster="prod-eu-west"} |= "error" [1m]))', time: at(60) });
    expect(data.resultType).toBe('vector');
    if (data.resultType !== 'vector') return;
    expect(data.result).toEqual([{ metric: { cluster: 'prod-eu-west' }, value: [Number(at(60) / 1_000_000n) / 1000, String(1 / 60)] }]);
    expect(data.stats.summary).toBeDefined();
  });
  it('refuses log queries, as Loki does', () => {
    expect(() => evaluateInstant(fleet, { query: '{pod="api-0"}', time: at(60) })).toThrow(/not supported as an instant query/);
  });
});

describe('labels, label values, series', () => {
  const span = { start: T0, end: at(100) };
  it('only streams matching the selector with entries in the span', () => {
    expect(labelNames(fleet, '{cluster="prod-eu-west"}', span)).toEqual(['cluster', 'container', 'namespace', 'pod']);
    expect(labelValues(fleet, 'pod', '{cluster="prod-us-east"}', span)).toEqual(['api-0', 'web-0']);
    expect(labelValues(fleet, 'cluster', undefined, { start: at(45), end: at(100) })).toEqual(['prod-eu-west']);
    expect(matchingLabelSets(fleet, ['{pod="api-0"}', '{cluster="prod-eu-west"}'], span)).toEqual([API, OTHER]);
  });
  it('refuses pipelines where a selector is meant', () => {
    expect(() => labelNames(fleet, '{pod="api-0"} |= "x"', span)).toThrow(LogQLError);
  });
});

describe('tailStreams', () => {
  it('applies the selector and pipeline to new entries', () => {
    const q = parseLogQL('{pod="web-0"} |= "error" | logfmt | line_format "{{.msg}}"') as LogQuery;
    const entries: Entry[] = [
      [at(1), 'level=error msg=boom'],
      [at(2), 'level=info msg=fine'],
    ];
    expect(tailStreams(q, WEB, entries)).toEqual([
      { stream: { ...WEB, level: 'error', msg: 'boom' }, values: [[at(1).toString(), 'boom']] },
    ]);
    expect(tailStreams(q, API, entries)).toEqual([]);
  });
});

describe('lazy stores', () => {
  /** A stream with one entry a second forever, counting what it generates. */
  function endless(labels: Record<string, string>, counter: { n: number }): StoredStream {
    return {
      labels,
      *entries(from, to, direction) {
        const first = (from + 999_999_999n) / 1_000_000_000n;
        const last = (to - 1n) / 1_000_000_000n;
        for (
          let s = direction === 'forward' ? first : last;
          direction === 'forward' ? s <= last : s >= first;
          s += direction === 'forward' ? 1n : -1n
        ) {
          counter.n++;
          yield [s * 1_000_000_000n, `line ${s}`] as const;
        }
      },
    };
  }
  it('a log query pulls about what the limit needs, not the whole range', () => {
    const counter = { n: 0 };
    const lazy: LogStore = { streams: () => [endless({ a: '1' }, counter), endless({ a: '2' }, counter)] };
    const week = 7n * 86_400n * 1_000_000_000n;
    const data = evaluateRange(lazy, { query: '{a=~"1|2"}', start: T0 - week, end: T0, limit: 10, direction: 'backward' });
    expect(streamsOf(data).flatMap((s) => s.values)).toHaveLength(10);
    expect(counter.n).toBeLessThanOrEqual(12);
  });
  it('a metric query without a pipeline uses the store’s count when it has one', () => {
    let reads = 0;
    const counted: LogStore = {
      streams: () => [
        {
          labels: { a: '1' },
          entries: () => {
            reads++;
            return [];
          },
          count: (from, to) => Number((to - from) / 1_000_000_000n),
        },
      ],
    };
    const data = evaluateRange(counted, {
      query: 'count_over_time({a="1"}[1m])',
      start: T0,
      end: T0,
      limit: 1,
      direction: 'backward',
      step: '1',
    });
    expect(matrixOf(data)[0]!.values[0]![1]).toBe('60');
    expect(reads).toBe(0);
  });
  it('refuses a query that would read more than the budget', () => {
    const lazy: LogStore = { streams: () => [endless({ a: '1' }, { n: 0 })] };
    expect(() =>
      evaluateRange(
        lazy,
        { query: '{a="1"} |= "never"', start: T0, end: T0 + 10_000n * 1_000_000_000n, limit: 10, direction: 'backward' },
        { readBudget: 1000 },
      ),
    ).toThrow(/more than 1000 lines/);
  });
});

describe('an in-memory store keeps time order whatever the push order', () => {
  it('out-of-order pushes are read in order', () => {
    const s = store([
      [
        { a: '1' },
        [
          [3, 'c'],
          [1, 'a'],
          [2, 'b'],
        ],
      ],
    ]);
    const data = evaluateRange(s, { query: '{a="1"}', start: T0, end: at(10), limit: 10, direction: 'forward' });
    expect(streamsOf(data)[0]!.values.map((v) => v[1])).toEqual(['a', 'b', 'c']);
  });
});
