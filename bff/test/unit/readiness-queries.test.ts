import { describe, expect, it } from 'vitest';

import { defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { builtinPanelDefs } from '../../src/sources/health/panel-defs.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { PrometheusFigures, readinessQueries } from '../../src/promotion/readiness/prometheus-figures.ts';
import { PrometheusError, type VectorSample } from '../../src/sources/prometheus/prometheus-client.ts';
import { ExtraReadinessCheck } from '../../src/promotion/promotion-config.ts';

const health = defaultHealthConfig();

/** Records what would be sent to Prometheus (the real client's HTTP is exercised in the integration test). */
class Recorder {
  queries: string[] = [];
  readonly answer: (q: string) => VectorSample[] | Error;
  constructor(answer: (q: string) => VectorSample[] | Error = () => []) {
    this.answer = answer;
  }
  instant(query: string): Promise<VectorSample[]> {
    this.queries.push(query);
    const a = this.answer(query);
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  }
}

const request = (n: number, countsOnly: string[] = []) => ({
  clusters: Array.from({ length: n }, (_, i) => `c-${i}.x`),
  countsOnly,
  start: new Date('2026-11-20T10:00:00Z'),
  end: new Date('2026-11-20T10:30:00Z'),
  extras: [
    ExtraReadinessCheck.parse({ id: 'lat', title: 'lat', query: 'max by (cluster) (rate(x_total[$window]))', op: '<', threshold: 1 }),
  ],
});

describe('readiness queries', () => {
  it('reuses the health panel’s pod ratio and the configured apiserver job', () => {
    const q = readinessQueries(health, '1800s');
    expect(q.podHealth).toBe(builtinPanelDefs(health).find((d) => d.id === 'podHealthRatio')!.query);
    expect(q.errorRate).toContain('job="kubernetes-apiservers"');
    expect(q.errorRate).toContain('[1h] offset 1800s');
    expect(q.errorRate.match(/apiserver_request_total/g)).toHaveLength(2);
  });

  it('sends a constant number of queries, the clusters as ONE escaped regex matcher ANDed by the enforcer', async () => {
    const small = new Recorder();
    const big = new Recorder();
    const logger = createLogger('silent');
    await new PrometheusFigures({ prometheus: small, health, logger }).figures(request(3));
    await new PrometheusFigures({ prometheus: big, health, logger }).figures(request(30));
    expect(small.queries).toHaveLength(4);
    expect(big.queries).toHaveLength(4);
    for (const q of big.queries) {
      const matchers = q.match(/cluster=~"[^"]*"/g) ?? [];
      expect(matchers.length).toBeGreaterThan(0);
      expect(new Set(matchers).size).toBe(1);
      // The matcher's RE2 (a PromQL string) admits exactly the 30 clusters, dots escaped.
      const re = new RegExp(`^(?:${JSON.parse(matchers[0]!.slice('cluster=~'.length)) as string})$`);
      for (let i = 0; i < 30; i++) expect(re.test(`c-${i}.x`), `c-${i}.x`).toBe(true);
      for (const other of ['c-30.x', 'c-29x', 'c-2', 'c-1.xx']) expect(re.test(other), other).toBe(false);
    }
    expect(big.queries[3]).toContain('[1800s]');
  });

  it('adds one query for counts-only clusters, limited to them', async () => {
    const rec = new Recorder();
    await new PrometheusFigures({ prometheus: rec, health, logger: createLogger('silent') }).figures(request(3, ['c-1.x']));
    expect(rec.queries).toHaveLength(5);
    const counts = rec.queries.find((q) => q.includes('gatekeeper_violations'))!;
    expect(counts.match(/cluster=~"[^"]*"/g)!.every((m) => m === 'cluster=~"c-1\\\\.x"')).toBe(true);
  });

  it('reads the labelled halves of a comparison, and turns a failing upstream into an error per figure', async () => {
    const answer = (q: string): VectorSample[] | Error => {
      if (q.includes('restarts')) return new PrometheusError('Prometheus answered 503');
      if (q.includes('apiserver_request_total'))
        return [
          { metric: { cluster: 'c-0.x', period: 'window', code_class: '2' }, value: [0, '95'] },
          { metric: { cluster: 'c-0.x', period: 'window', code_class: '5' }, value: [0, '5'] },
          { metric: { cluster: 'c-0.x', period: 'before', code_class: '2' }, value: [0, '99'] },
          { metric: { cluster: 'c-0.x', period: 'before', code_class: '5' }, value: [0, '1'] },
          { metric: { cluster: 'c-1.x', period: 'window', code_class: '2' }, value: [0, '10'] },
          // No requests at all in the window: no figure (unknown), not a share of 0.
          { metric: { cluster: 'c-2.x', period: 'before', code_class: '2' }, value: [0, '10'] },
        ];
      if (q.includes('kube_pod_status_phase')) return [{ metric: { cluster: 'c-0.x' }, value: [0, '0.9'] }];
      return new Error('connect ECONNREFUSED 10.0.0.1:9090');
    };
    const f = await new PrometheusFigures({ prometheus: new Recorder(answer), health, logger: createLogger('silent') }).figures(request(2));
    expect(f.podHealth).toEqual({ values: new Map([['c-0.x', 0.9]]) });
    expect(f.errorRate).toEqual({
      values: new Map([
        ['c-0.x', { window: 0.05, before: 0.01 }],
        ['c-1.x', { window: 0, before: 0 }],
      ]),
    });
    expect(f.restarts).toEqual({ error: 'Prometheus answered 503' });
    // Transport errors name addresses: never shown.
    expect(f.extras.get('lat')).toEqual({ error: 'Prometheus did not answer' });
  });

  it('refuses a configured query the enforcer cannot parse, as that check’s error', async () => {
    const rec = new Recorder();
    const req = {
      ...request(2),
      extras: [ExtraReadinessCheck.parse({ id: 'bad', title: 'bad', query: 'sum by (cluster) (', op: '<', threshold: 1 })],
    };
    const f = await new PrometheusFigures({ prometheus: rec, health, logger: createLogger('silent') }).figures(req);
    const bad = f.extras.get('bad');
    expect(bad && 'error' in bad && bad.error).toMatch(/^the query was refused/);
    expect(rec.queries).toHaveLength(3);
  });
});
