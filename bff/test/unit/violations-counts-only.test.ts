import { describe, expect, it } from 'vitest';

import { GATEKEEPER_ALL_CONSTRAINTS } from '@fleetdeck/shared';

import { createLogger } from '../../src/lib/logger.ts';
import { PrometheusError, type PrometheusClient, type QueryData, type RawAnswer } from '../../src/sources/prometheus/prometheus-client.ts';
import { withCountsOnly } from '../../src/sources/violations/counts-only.ts';
import { FixedSource, snapshot } from './violations-fixtures.ts';

type Row = { metric: Record<string, string>; value: [number, string] };

/** A Prometheus stand-in that records every query and answers from fixed rows, ignoring the query's own matchers. */
function stubPrometheus(rows: Record<string, Row[]>) {
  const queries: string[] = [];
  let down = false;
  const client: Pick<PrometheusClient, 'instantRaw'> = {
    instantRaw(query: string): Promise<RawAnswer<QueryData>> {
      queries.push(query);
      if (down) return Promise.reject(new PrometheusError('Prometheus is not answering'));
      const metric = Object.keys(rows).find((m) => query.includes(`(${m}{`) || query.includes(`(${m})`))!;
      return Promise.resolve({ data: { resultType: 'vector', result: rows[metric] ?? [] }, warnings: [] });
    },
  };
  return { client, queries, setDown: (d: boolean) => (down = d) };
}

const at = 1_764_000_000;
const ROWS: Record<string, Row[]> = {
  gatekeeper_violations: [
    { metric: { cluster: 'b-prod', enforcement_action: 'deny' }, value: [at, '7'] },
    { metric: { cluster: 'b-prod', enforcement_action: 'dryrun' }, value: [at, '0'] },
    // A connected cluster and one the inventory does not know: the answer filter drops them.
    { metric: { cluster: 'a-prod', enforcement_action: 'deny' }, value: [at, '3'] },
    { metric: { cluster: 'not-in-inventory', enforcement_action: 'deny' }, value: [at, '9'] },
  ],
  policy_report_result: [
    { metric: { cluster: 'b-prod', namespace: 'client-b-web', policy: 'require-labels', severity: 'high' }, value: [at, '4'] },
    { metric: { cluster: 'b-prod', namespace: 'client-b-web', policy: 'odd', severity: 'weird' }, value: [at, '1'] },
  ],
  cluster_policy_report_result: [{ metric: { cluster: 'b-prod', policy: 'disallow-privileged', severity: 'critical' }, value: [at, '2'] }],
};

const inventory = () => [{ name: 'a-prod' }, { name: 'a-dev' }, { name: 'b-prod' }];
const logger = createLogger('silent');

describe('counts-only violations from Prometheus', () => {
  it('asks only about clusters without a connection, through the enforcer, and keeps only their figures', async () => {
    const prom = stubPrometheus(ROWS);
    const inner = snapshot();
    const source = withCountsOnly(new FixedSource(inner), {
      prometheus: prom.client,
      clusters: inventory,
      connected: new Set(['a-prod']),
      logger,
    });
    await source.start();
    await source.stop();
    expect(prom.queries).toHaveLength(3);
    for (const q of prom.queries) {
      // The enforcer's cluster matcher names exactly the unconnected clusters.
      expect(q).toMatch(/cluster=~"(a-dev\|b-prod|b-prod\|a-dev)"/);
      expect(q).not.toContain('a-prod');
    }
    const snap = source.snapshot();
    expect(snap.countsOnly).toEqual([
      {
        cluster: 'b-prod',
        engine: 'gatekeeper',
        policy: GATEKEEPER_ALL_CONSTRAINTS,
        severity: 'unknown',
        action: 'deny',
        count: 7,
        metric: 'gatekeeper_violations',
      },
      {
        cluster: 'b-prod',
        engine: 'kyverno',
        policy: 'require-labels',
        severity: 'high',
        namespace: 'client-b-web',
        count: 4,
        metric: 'policy_report_result',
      },
      {
        cluster: 'b-prod',
        engine: 'kyverno',
        policy: 'odd',
        severity: 'unknown',
        namespace: 'client-b-web',
        count: 1,
        metric: 'policy_report_result',
      },
      {
        cluster: 'b-prod',
        engine: 'kyverno',
        policy: 'disallow-privileged',
        severity: 'critical',
        count: 2,
        metric: 'cluster_policy_report_result',
      },
    ]);
    expect(snap.feeds.filter((f) => f.state === 'countsOnly').map((f) => f.cluster)).toEqual(['b-prod']);
    // The inner source's rows are untouched.
    expect(snap.violations).toBe(inner.violations);
  });

  it('keeps the last figures with an error when Prometheus goes down, and moves the version', async () => {
    const prom = stubPrometheus(ROWS);
    const source = withCountsOnly(new FixedSource(snapshot()), {
      prometheus: prom.client,
      clusters: inventory,
      connected: new Set(),
      logger,
      intervalMs: 20,
    });
    const changes: (readonly string[])[] = [];
    source.onChange((c) => changes.push(c));
    await source.start();
    const before = source.snapshot();
    prom.setDown(true);
    await new Promise((r) => setTimeout(r, 100));
    await source.stop();
    const after = source.snapshot();
    expect(after.version).not.toBe(before.version);
    expect(after.countsOnly).toEqual(before.countsOnly);
    expect(after.errors.map((e) => e.source)).toContain('prometheus');
    expect(changes.at(-1)).toContain('b-prod');
  });

  it('asks nothing when every cluster has a connection', async () => {
    const prom = stubPrometheus(ROWS);
    const source = withCountsOnly(new FixedSource(snapshot()), {
      prometheus: prom.client,
      clusters: inventory,
      connected: new Set(['a-prod', 'a-dev', 'b-prod']),
      logger,
    });
    await source.start();
    await source.stop();
    expect(prom.queries).toEqual([]);
    expect(source.snapshot().countsOnly).toEqual([]);
  });
});
