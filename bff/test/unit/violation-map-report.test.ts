import { describe, expect, it } from 'vitest';

import { Violation } from '@fleetdeck/shared';

import { mapReport } from '../../src/sources/violations/map-report.ts';

const result = (over: Record<string, unknown> = {}) => ({
  policy: 'require-requests-limits',
  rule: 'validate-resources',
  result: 'fail',
  severity: 'medium',
  category: 'Best Practices',
  message: 'limits required',
  source: 'kyverno',
  timestamp: { seconds: 1_764_115_200, nanos: 0 },
  resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: 'a-apps' }],
  ...over,
});
const report = (results: unknown, over: Record<string, unknown> = {}) => ({
  apiVersion: 'wgpolicyk8s.io/v1alpha2',
  kind: 'PolicyReport',
  metadata: { name: 'polr', namespace: 'a-apps' },
  results,
  ...over,
});

describe('mapReport (Kyverno / OpenReports)', () => {
  it('maps fail, warn and error results, one violation per resource, and takes counts from the summary', () => {
    const m = mapReport(
      report(
        [
          result({
            resources: [
              { kind: 'Pod', name: 'web-0' },
              { kind: 'Pod', name: 'web-1', namespace: 'a-apps' },
            ],
          }),
          result({ policy: 'require-labels', rule: 'check', result: 'warn', severity: 'LOW' }),
          result({ policy: 'p3', result: 'error', severity: 'nonsense' }),
          result({ result: 'pass' }),
          result({ result: 'skip' }),
        ],
        { summary: { pass: 7, fail: 2, warn: 1, error: 1, skip: 1 } },
      ),
      'c1',
    );
    expect(m.dropped).toEqual([]);
    for (const v of m.violations) Violation.parse(v);
    expect(m.violations.map((v) => [v.policy, v.result, v.severity, v.resource.name, v.resource.namespace])).toEqual([
      ['require-requests-limits', 'fail', 'medium', 'web-0', 'a-apps'],
      ['require-requests-limits', 'fail', 'medium', 'web-1', 'a-apps'],
      ['require-labels', 'warn', 'low', 'web-0', 'a-apps'],
      ['p3', 'error', 'unknown', 'web-0', 'a-apps'],
    ]);
    expect(m.violations[0]).toMatchObject({
      engine: 'kyverno',
      rule: 'validate-resources',
      category: 'Best Practices',
      action: 'unknown',
      lastSeenAt: new Date(1_764_115_200_000).toISOString(),
    });
    expect(m.counts).toEqual({ cluster: 'c1', namespace: 'a-apps', pass: 7, warn: 1, fail: 2, error: 1, skip: 1 });
  });

  it('counts the results itself when the summary is missing or malformed', () => {
    const results = [result(), result({ result: 'pass' }), result({ result: 'pass' }), result({ result: 'skip' })];
    expect(mapReport(report(results), 'c1').counts).toEqual({
      cluster: 'c1',
      namespace: 'a-apps',
      pass: 2,
      warn: 0,
      fail: 1,
      error: 0,
      skip: 1,
    });
    const bad = mapReport(report(results, { summary: { pass: -3 } }), 'c1');
    expect(bad.counts?.pass).toBe(2);
    expect(bad.dropped).toEqual(['a-apps/polr: summary is malformed; counted the results instead']);
  });

  it('falls back to the report scope for a result without resources; a cluster report has no counts', () => {
    const scoped = mapReport(
      report([result({ resources: undefined })], {
        kind: 'ClusterPolicyReport',
        metadata: { name: 'cpolr' },
        scope: { kind: 'Namespace', name: 'a-data' },
      }),
      'c1',
    );
    expect(scoped.violations.map((v) => v.resource)).toEqual([{ kind: 'Namespace', name: 'a-data' }]);
    expect(scoped.counts).toBeUndefined();
    const none = mapReport(report([result({ resources: [] })]), 'c1');
    expect(none.violations).toEqual([]);
    expect(none.dropped[0]).toMatch(/names no resource and the report has no scope/);
  });

  it('drops malformed results with reasons: unknown result values, no policy, bad resources, other namespaces, other tools', () => {
    const m = mapReport(
      report([
        result({ result: 'exploded' }),
        result({ result: undefined }),
        result({ policy: undefined }),
        result({ resources: [{ kind: 'Pod' }, 'x'] }),
        result({ resources: [{ kind: 'Pod', name: 'sneaky', namespace: 'b-apps' }] }),
        result({ source: 'trivy' }),
        42,
        result(),
      ]),
      'c1',
    );
    expect(m.violations.map((v) => v.resource.name)).toEqual(['web-0']);
    expect(m.dropped).toHaveLength(8);
    expect(m.dropped.join('\n')).toMatch(/unknown result "exploded"/);
    expect(m.dropped.join('\n')).toMatch(/another namespace \(b-apps\)/);
    // An unknown result is not counted either.
    expect(m.counts).toMatchObject({ fail: 4 });
    expect(mapReport({ metadata: { name: 'x', namespace: 'n' }, results: 'nope' }, 'c1').dropped).toEqual(['n/x: results is not a list']);
    expect(mapReport({}, 'c1')).toEqual({ violations: [], dropped: [] });
  });

  it('maps openreports.io reports the same way', () => {
    const m = mapReport(report([result()], { apiVersion: 'openreports.io/v1alpha1', kind: 'Report' }), 'c1');
    expect(m.violations).toHaveLength(1);
    expect(m.violations[0]!.id).toBe(mapReport(report([result()]), 'c1').violations[0]!.id);
  });
});
