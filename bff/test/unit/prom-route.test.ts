import { z } from 'zod';
import { describe, expect, it } from 'vitest';

import {
  PROM_MAX_MATCHERS,
  PromInstantQuery,
  PromLabelParams,
  PromLabelsQuery,
  PromRangeQuery,
  PromSeriesQuery,
  parsePromDuration,
  parsePromTime,
} from '@fleetdeck/shared';

import { promAccess } from '../../src/access/promql/index.ts';
import { filterLabelValues, filterQueryData, seriesVisible, viewFor } from '../../src/access/promql/answer-filter.ts';
import { safeWarnings } from '../../src/routes/prom.ts';
import { safeQueryError } from '../../src/sources/prometheus/prometheus-client.ts';

// A Tenant Admin's whole clusters, and a Developer-like grant on another cluster.
const view = viewFor(
  promAccess([
    { clusters: ['a-prod', 'a-dev'], namespaces: '*' },
    { clusters: ['a-edge'], namespaces: ['a-*', 'shared'] },
  ]),
);
const devOnly = viewFor(promAccess([{ clusters: ['a-edge'], namespaces: ['a-*'] }]));

describe('the answer filter (defence in depth)', () => {
  it('drops series of clusters the person may not see', () => {
    expect(seriesVisible(view, { cluster: 'a-prod' })).toBe(true);
    expect(seriesVisible(view, { cluster: 'b-prod' })).toBe(false);
    expect(seriesVisible(view, { cluster: '' })).toBe(false);
    // Aggregates without a cluster were computed from enforced selectors only.
    expect(seriesVisible(view, {})).toBe(true);
  });

  it('drops series of namespaces outside a namespace-limited grant', () => {
    expect(seriesVisible(view, { cluster: 'a-edge', namespace: 'a-apps' })).toBe(true);
    expect(seriesVisible(view, { cluster: 'a-edge', namespace: 'shared' })).toBe(true);
    expect(seriesVisible(view, { cluster: 'a-edge', namespace: 'kube-system' })).toBe(false);
    expect(seriesVisible(view, { cluster: 'a-prod', namespace: 'kube-system' })).toBe(true);
    expect(seriesVisible(devOnly, { namespace: 'kube-system' })).toBe(false);
    expect(seriesVisible(devOnly, { namespace: 'a-apps' })).toBe(true);
  });

  it('ignores inherited properties (a label named like an Object method)', () => {
    expect(seriesVisible(view, { cluster: 'constructor' })).toBe(false);
    expect(seriesVisible(viewFor(promAccess([])), { cluster: 'a-prod' })).toBe(false);
  });

  it('filters vectors and matrices, and passes scalars', () => {
    const vector = filterQueryData(view, {
      resultType: 'vector',
      result: [
        { metric: { cluster: 'a-prod' }, value: [1, '1'] },
        { metric: { cluster: 'b-prod' }, value: [1, '2'] },
      ],
    });
    expect(vector.result).toEqual([{ metric: { cluster: 'a-prod' }, value: [1, '1'] }]);
    const matrix = filterQueryData(devOnly, {
      resultType: 'matrix',
      result: [
        { metric: { cluster: 'a-edge', namespace: 'a-x' }, values: [[1, '1']] },
        { metric: { cluster: 'a-edge', namespace: 'b-x' }, values: [[1, '1']] },
      ],
    });
    expect(matrix.result).toHaveLength(1);
    expect(filterQueryData(view, { resultType: 'scalar', result: [1, '3'] })).toEqual({ resultType: 'scalar', result: [1, '3'] });
    expect(() => filterQueryData(view, { resultType: 'vector', result: [{ metric: 'x' }] } as never)).toThrow(/unexpected shape/);
  });

  it('keeps only visible clusters, and granted namespaces, as label values', () => {
    expect(filterLabelValues(view, 'cluster', ['a-prod', 'b-prod', 'a-edge'])).toEqual(['a-prod', 'a-edge']);
    expect(filterLabelValues(devOnly, 'namespace', ['a-apps', 'kube-system'])).toEqual(['a-apps']);
    expect(filterLabelValues(view, 'namespace', ['a-apps', 'kube-system'])).toEqual(['a-apps', 'kube-system']);
    expect(filterLabelValues(view, 'job', ['x'])).toEqual(['x']);
  });

  it('passes PromQL notes and replaces any other warning with one generic line', () => {
    expect(
      safeWarnings([
        'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "up" (1:6)',
        'partial response: store 10.0.0.7:10901 unavailable',
        'receive: rpc error',
      ]),
    ).toEqual([
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "up" (1:6)',
      'some of the data could not be read; the answer may be incomplete',
    ]);
  });
});

describe("Prometheus' own error text", () => {
  it('is passed on only when it names no address', () => {
    expect(safeQueryError("1:5: parse error: unexpected right parenthesis ')'")).toBeDefined();
    expect(safeQueryError('query processing would load too many samples into memory in query execution')).toBeDefined();
    expect(safeQueryError('Get "http://10.1.2.3:9090/api": dial tcp')).toBeUndefined();
    expect(safeQueryError('store thanos-store-0.monitoring.svc:10901 failed')).toBeUndefined();
    expect(safeQueryError('x'.repeat(2000))).toBeUndefined();
    expect(safeQueryError(undefined)).toBeUndefined();
  });
});

describe('the Prometheus API parameters', () => {
  const issues = (schema: Parameters<typeof z.safeParse>[0], value: unknown) => {
    const r = z.safeParse(schema, value);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('parses times (RFC 3339, unix seconds) and durations', () => {
    expect(parsePromTime('1700000000.5')).toBe(1700000000.5);
    expect(parsePromTime('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(parsePromTime('2026-01-02T03:04:05.250+01:00')).toBe(Date.UTC(2026, 0, 2, 2, 4, 5, 250) / 1000);
    expect(parsePromTime('yesterday')).toBeUndefined();
    expect(parsePromTime('1e9')).toBeUndefined();
    expect(parsePromDuration('1h30m')).toBe(5400);
    expect(parsePromDuration('15')).toBe(15);
    expect(parsePromDuration('500ms')).toBe(0.5);
    expect(parsePromDuration('1m1h')).toBeUndefined();
    expect(parsePromDuration('')).toBeUndefined();
  });

  it('accepts one query, as text, of at most 64 KiB', () => {
    expect(issues(PromInstantQuery, { query: 'up', time: '1700000000' })).toEqual([]);
    expect(issues(PromInstantQuery, { query: ['up', 'up'] })).toHaveLength(1);
    expect(issues(PromInstantQuery, { query: { a: 'b' } })).toHaveLength(1);
    expect(issues(PromInstantQuery, { query: 'x'.repeat(64 * 1024 + 1) })).toHaveLength(1);
    expect(issues(PromInstantQuery, { query: 'up', timeout: '1s' })[0]).toMatch(/timeout/);
  });

  it('refuses ranges over 11,000 points per series, and end before start', () => {
    const year = 365 * 86400;
    expect(issues(PromRangeQuery, { query: 'up', start: '0', end: String(year), step: '1s' })[0]).toMatch(/^step: .*11,000 points/);
    expect(issues(PromRangeQuery, { query: 'up', start: '0', end: String(year), step: '1h' })).toEqual([]);
    expect(issues(PromRangeQuery, { query: 'up', start: '0', end: '10999', step: '1' })).toEqual([]);
    expect(issues(PromRangeQuery, { query: 'up', start: '0', end: '11000', step: '1' })).toHaveLength(1);
    expect(issues(PromRangeQuery, { query: 'up', start: '10', end: '5', step: '1' })).toEqual(['end: end is before start']);
    expect(issues(PromRangeQuery, { query: 'up', start: 'x', end: '5', step: '0' })).toHaveLength(2);
  });

  it('takes match[] as one string or an array of at most 20', () => {
    expect(z.parse(PromSeriesQuery, { 'match[]': 'up' })).toEqual({ 'match[]': ['up'] });
    expect(z.parse(PromSeriesQuery, { 'match[]': ['up', 'x'], limit: '10' })).toEqual({ 'match[]': ['up', 'x'], limit: 10 });
    expect(issues(PromSeriesQuery, {})).toHaveLength(1);
    expect(issues(PromSeriesQuery, { 'match[]': Array.from({ length: PROM_MAX_MATCHERS + 1 }, () => 'up') })).toHaveLength(1);
    expect(issues(PromSeriesQuery, { 'match[]': { x: 'up' } })).toHaveLength(1);
    expect(issues(PromLabelsQuery, {})).toEqual([]);
    expect(issues(PromLabelsQuery, { limit: '-1' })).toHaveLength(1);
  });

  it('takes only classic label names in the label-values path', () => {
    expect(issues(PromLabelParams, { name: 'cluster' })).toEqual([]);
    expect(issues(PromLabelParams, { name: '../../admin' })).toHaveLength(1);
  });
});
