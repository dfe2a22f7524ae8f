import { describe, expect, it } from 'vitest';

import { ViolationTrends } from '@fleetdeck/shared';

import { DEMO_TRENDS_WARNING, demoTrends } from '../../src/access/violations/demo-trends.ts';
import { ViolationViews } from '../../src/access/violations/violation-views.ts';
import { CLUSTER_WIDE_TRENDS, prometheusTrends, trendAccesses } from '../../src/access/violations/violation-trends.ts';
import type { PrometheusClient } from '../../src/sources/prometheus/prometheus-client.ts';
import { PrometheusError } from '../../src/sources/prometheus/prometheus-client.ts';
import { A_ADMIN, A_DEV, CLUSTERS, FixedSource, PLATFORM, snapshot } from './violations-fixtures.ts';

type RangeRaw = PrometheusClient['rangeRaw'];

/** Answers like Prometheus would to the enforced query: one row per cluster the query's own matchers name. */
function fakeProm(rows: (query: string) => { metric: Record<string, string>; values: [number, string][] }[]) {
  const queries: string[] = [];
  const rangeRaw: RangeRaw = (query) => {
    queries.push(query);
    return Promise.resolve({ data: { resultType: 'matrix', result: rows(query) }, warnings: [] });
  };
  return { client: { rangeRaw } as unknown as PrometheusClient, queries };
}

const NOW = Date.UTC(2026, 10, 26, 12);

describe('violation trends', () => {
  it('runs cluster-wide gauges only over clusters the person sees whole, and Policy Reporter over their namespaces', async () => {
    const { client, queries } = fakeProm(() => []);
    await prometheusTrends(client, trendAccesses(A_DEV, CLUSTERS), '24h', NOW);
    // A Developer sees no cluster whole: only the namespaced gauge runs, limited to their namespaces on a-dev.
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain('policy_report_result');
    expect(queries[0]).toContain('a-dev');
    expect(queries[0]).toContain('client-a-');
    expect(queries[0]).not.toContain('a-prod');
    const admin = fakeProm(() => []);
    await prometheusTrends(admin.client, trendAccesses(A_ADMIN, CLUSTERS), '1h', NOW);
    expect(admin.queries).toHaveLength(3);
    for (const q of admin.queries) expect(q).not.toContain('b-prod');
  });

  it('sums per label over visible clusters only, dropping rows of clusters outside the scope (second wall)', async () => {
    const { client } = fakeProm((q) =>
      q.includes('gatekeeper_violations')
        ? [
            {
              metric: { cluster: 'a-prod', enforcement_action: 'deny' },
              values: [
                [100, '2'],
                [200, '3'],
              ],
            },
            { metric: { cluster: 'a-dev', enforcement_action: 'deny' }, values: [[100, '1']] },
            { metric: { cluster: 'b-prod', enforcement_action: 'deny' }, values: [[100, '1000']] },
          ]
        : [],
    );
    const t = ViolationTrends.parse(await prometheusTrends(client, trendAccesses(A_ADMIN, CLUSTERS), '1h', NOW));
    expect(t.series).toEqual([
      {
        label: 'gatekeeper deny',
        source: 'gatekeeper_violations',
        points: [
          [100, 3],
          [200, 3],
        ],
      },
    ]);
    expect(t.warnings).toEqual([]);
  });

  it('says why cluster-wide series are missing for a namespace-limited person, and reports Prometheus failures as errors', async () => {
    const rangeRaw: RangeRaw = () => Promise.reject(new PrometheusError('Prometheus is unreachable'));
    const t = await prometheusTrends({ rangeRaw } as unknown as PrometheusClient, trendAccesses(A_DEV, CLUSTERS), '6h', NOW);
    expect(t.warnings).toEqual([CLUSTER_WIDE_TRENDS]);
    expect(t.errors).toEqual([{ source: 'policy_report_result', reason: 'Prometheus is unreachable' }]);
    expect(t.series).toEqual([]);
  });

  it('in demo mode ends each series at the person’s own current count', () => {
    const views = new ViolationViews(new FixedSource(snapshot()), () => ({ version: 1, clusters: CLUSTERS }));
    const all = ViolationTrends.parse(demoTrends(views.scoped(PLATFORM), '24h', NOW));
    const dev = demoTrends(views.scoped(A_DEV), '24h', NOW);
    const last = (t: typeof all) => t.series.reduce((n, s) => n + s.points.at(-1)![1], 0);
    expect(last(all)).toBe(9);
    expect(last(dev)).toBe(1);
    expect(dev.series.map((s) => s.source)).toEqual(['policy_report_result']);
    expect(all.warnings).toEqual([DEMO_TRENDS_WARNING]);
    expect(dev.warnings).toEqual([DEMO_TRENDS_WARNING, CLUSTER_WIDE_TRENDS]);
    expect(all.series[0]!.points.length).toBeGreaterThan(90);
    expect(demoTrends(views.scoped(PLATFORM), '24h', NOW)).toEqual(all);
  });
});
