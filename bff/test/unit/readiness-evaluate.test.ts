import { describe, expect, it } from 'vitest';

import { WaveReadiness } from '@fleetdeck/shared';

import { checksFor } from '../../src/promotion/readiness/checks.ts';
import { evaluateReadiness } from '../../src/promotion/readiness/evaluate.ts';
import { NOW, START, healthyFigures, input, violation, wave } from './readiness-fixtures.ts';

const W = wave({ a: 'Succeeded', b: 'Succeeded', c: 'Succeeded' });
const check = (r: WaveReadiness, id: string) => r.checks.find((c) => c.id === id)!;
const evaluate = (...args: Parameters<typeof input>) => {
  const r = evaluateReadiness(input(...args));
  expect(WaveReadiness.safeParse(r).success).toBe(true);
  return r;
};

describe('readiness evaluation: every check passes', () => {
  it('is Ready with no reasons when every figure is healthy', () => {
    const r = evaluate(W);
    expect(r.verdict).toBe('Ready');
    expect(r.reasons).toEqual([]);
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ['rollout-result', 'pass'],
      ['pod-health', 'pass'],
      ['error-rate', 'pass'],
      ['restarts', 'pass'],
      ['violations-introduced', 'pass'],
      ['failure-threshold', 'pass'],
    ]);
    expect(r).toMatchObject({ successThreshold: 0.95, windowStart: START.toISOString(), windowEnd: NOW.toISOString(), hiddenClusters: 0 });
  });
});

describe('readiness evaluation: each reason', () => {
  it('rolloutResult: a Failed or still-updating cluster fails it, with the logs and the rollout as evidence', () => {
    const r = evaluate(wave({ a: 'Succeeded', b: 'Failed', c: 'Updating' }));
    const c = check(r, 'rollout-result');
    expect(c.status).toBe('fail');
    expect(c.clusters.filter((x) => x.status === 'fail').map((x) => x.cluster)).toEqual(['b', 'c']);
    expect(c.summary).toBe('2 of 3 clusters not updated successfully: b (Failed), c (Updating).');
    expect(c.evidence.map((e) => e.kind)).toEqual(['rollout', 'logs', 'logs']);
    expect(r.verdict).toBe('NotReady');
    expect(r.reasons[0]).toBe('Rollout result: 2 of 3 clusters not updated successfully: b (Failed), c (Updating).');
  });

  it('rolloutResult: a cluster in Unknown state makes it unknown', () => {
    const r = evaluate(wave({ a: 'Succeeded', b: 'Unknown' }));
    expect(check(r, 'rollout-result').status).toBe('unknown');
    expect(r.verdict).toBe('Unknown');
  });

  it('podHealth: a cluster under the success threshold fails it; the health panel is the evidence', () => {
    const f = healthyFigures(['a', 'b', 'c']);
    const r = evaluate(W, {
      figures: {
        ...f,
        podHealth: {
          values: new Map([
            ['a', 0.99],
            ['b', 0.9],
            ['c', 0.95],
          ]),
        },
      },
    });
    const c = check(r, 'pod-health');
    expect(c.status).toBe('fail');
    expect(c.threshold).toBe(0.95);
    expect(c.clusters[0]).toEqual({ cluster: 'b', status: 'fail', value: 0.9 });
    expect(c.summary).toBe('1 of 3 clusters below 95% pods healthy: b (90%).');
    expect(c.evidence).toEqual([
      { kind: 'health', label: 'Health of b', href: '/fleet/clusters/b?from=2026-11-20T09%3A00%3A00.000Z&to=2026-11-20T10%3A30%3A00.000Z' },
    ]);
    expect(r.verdict).toBe('NotReady');
    expect(r.reasons).toEqual(['Pod health: 1 of 3 clusters below 95% pods healthy: b (90%).']);
  });

  it('podHealth: the rollout’s own success threshold wins over the configured default', () => {
    const f = healthyFigures(['a', 'b', 'c']);
    const base = input(W, {
      figures: {
        ...f,
        podHealth: {
          values: new Map([
            ['a', 0.9],
            ['b', 0.9],
            ['c', 0.9],
          ]),
        },
      },
    });
    const r = evaluateReadiness({
      ...base,
      rollout: { ...base.rollout, policy: { sourceFields: {}, successThresholdPodHealthyRatio: 0.8 } },
    });
    expect(r.successThreshold).toBe(0.8);
    expect(check(r, 'pod-health').status).toBe('pass');
  });

  it('podHealth: Prometheus down makes it unknown with the error, and the verdict Unknown', () => {
    const f = healthyFigures(['a', 'b', 'c']);
    const r = evaluate(W, { figures: { ...f, podHealth: { error: 'Prometheus did not answer' } } });
    expect(check(r, 'pod-health')).toMatchObject({ status: 'unknown', summary: 'No figures: Prometheus did not answer.' });
    expect(r.verdict).toBe('Unknown');
    expect(r.errors).toEqual([{ source: 'readiness/pod-health', reason: 'Prometheus did not answer' }]);
  });

  it('podHealth: a cluster without samples is unknown', () => {
    const f = healthyFigures(['a', 'b', 'c']);
    const r = evaluate(W, {
      figures: {
        ...f,
        podHealth: {
          values: new Map([
            ['a', 0.99],
            ['b', 0.99],
          ]),
        },
      },
    });
    expect(check(r, 'pod-health')).toMatchObject({ status: 'unknown', summary: 'No figures for 1 of 3 clusters.' });
  });

  it('a failing blocking check wins over an unknown one', () => {
    const f = healthyFigures(['a', 'b', 'c']);
    const r = evaluate(W, {
      figures: { ...f, podHealth: { error: 'down' }, errorRate: { values: new Map([['a', { window: 0.2, before: 0 }]]) } },
    });
    expect(r.verdict).toBe('NotReady');
  });

  it('errorRate: a rise of the 5xx share above maxErrorRateIncrease fails it', () => {
    const f = healthyFigures(['a', 'b', 'c']);
    const errorRate = {
      values: new Map([
        ['a', { window: 0.05, before: 0.01 }],
        ['b', { window: 0.015, before: 0.01 }],
        ['c', { window: 0, before: 0.2 }],
      ]),
    };
    const r = evaluate(W, { figures: { ...f, errorRate } });
    const c = check(r, 'error-rate');
    expect(c.status).toBe('fail');
    expect(c.clusters.map((x) => [x.cluster, x.status])).toEqual([
      ['a', 'fail'],
      ['b', 'pass'],
      ['c', 'pass'],
    ]);
    expect(c.summary).toContain('a (+4 points)');
    expect(c.evidence.map((e) => e.kind)).toEqual(['health', 'logs']);
    expect(r.verdict).toBe('NotReady');
  });

  it('errorRate: unknown when Prometheus is down', () => {
    const r = evaluate(W, { figures: { ...healthyFigures(['a', 'b', 'c']), errorRate: { error: 'timeout' } } });
    expect(check(r, 'error-rate').status).toBe('unknown');
    expect(r.verdict).toBe('Unknown');
  });

  it('restarts: advisory — fails past the factor × the hour before (scaled to the window) but never blocks', () => {
    // Window 30 min; the hour before had 10 restarts → 5 expected; factor 2 → up to 10 allowed.
    const restarts = {
      values: new Map([
        ['a', { window: 11, before: 10 }],
        ['b', { window: 10, before: 10 }],
        ['c', { window: 2, before: 0 }],
      ]),
    };
    const r = evaluate(W, { figures: { ...healthyFigures(['a', 'b', 'c']), restarts } });
    const c = check(r, 'restarts');
    expect(c.severity).toBe('advisory');
    expect(c.clusters.map((x) => [x.cluster, x.status])).toEqual([
      ['a', 'fail'],
      ['b', 'pass'],
      ['c', 'pass'],
    ]);
    expect(r.verdict).toBe('Ready');
    expect(r.reasons).toEqual([]);
  });

  it('restarts: unknown does not make the verdict Unknown (advisory)', () => {
    const r = evaluate(W, { figures: { ...healthyFigures(['a', 'b', 'c']), restarts: { error: 'down' } } });
    expect(check(r, 'restarts').status).toBe('unknown');
    expect(r.verdict).toBe('Ready');
  });

  it('violationsIntroduced: new violations on a wave cluster fail it and are listed', () => {
    const v = violation('b', '2026-11-20T10:10:00Z');
    const r = evaluate(W, { introduced: { byCluster: new Map([['b', [v]]]), unknown: new Set(), countsOnly: [] } });
    const c = check(r, 'violations-introduced');
    expect(c.status).toBe('fail');
    expect(c.clusters[0]).toEqual({ cluster: 'b', status: 'fail', value: 1 });
    expect(c.evidence).toEqual([{ kind: 'violations', label: 'Violations on b', href: '/violations?cluster=b' }]);
    expect(r.introducedViolations).toEqual({
      total: 1,
      items: [
        {
          id: 'b-v',
          cluster: 'b',
          namespace: 'apps',
          policy: 'K8sRequiredLabels/owner',
          severity: 'high',
          message: 'missing owner label',
          firstSeenAt: '2026-11-20T10:10:00Z',
        },
      ],
    });
    expect(r.verdict).toBe('NotReady');
  });

  it('violationsIntroduced: counts-only clusters compare the counts now with those at the wave start', () => {
    const introduced = { byCluster: new Map(), unknown: new Set<string>(), countsOnly: ['b', 'c'] };
    const violationCounts = {
      values: new Map([
        ['b', { window: 7, before: 5 }],
        ['c', { window: 3, before: 4 }],
      ]),
    };
    const r = evaluate(W, { introduced, figures: { ...healthyFigures(['a', 'b', 'c']), violationCounts } });
    const c = check(r, 'violations-introduced');
    expect(c.clusters.map((x) => [x.cluster, x.status, x.value])).toEqual([
      ['b', 'fail', 2],
      ['a', 'pass', 0],
      ['c', 'pass', 0],
    ]);
    expect(c.summary).toContain('b (2 new violations from counts)');
  });

  it('violationsIntroduced: unknown where the lists cannot answer, or the counts query failed', () => {
    const r1 = evaluate(W, { introduced: { byCluster: new Map(), unknown: new Set(['a']), countsOnly: [] } });
    expect(check(r1, 'violations-introduced').status).toBe('unknown');
    const r2 = evaluate(W, {
      introduced: { byCluster: new Map(), unknown: new Set(), countsOnly: ['c'] },
      figures: { ...healthyFigures(['a', 'b', 'c']), violationCounts: { error: 'down' } },
    });
    expect(check(r2, 'violations-introduced')).toMatchObject({ status: 'unknown', summary: 'No figures: down.' });
    expect(r2.verdict).toBe('Unknown');
  });

  it('failureThreshold: reached when as many clusters failed as the rollout allows', () => {
    const w = wave({ a: 'Failed', b: 'Succeeded', c: 'Succeeded' });
    const r = evaluate(w);
    expect(r.failureThreshold).toEqual({ threshold: 1, failed: 1, reached: true });
    expect(check(r, 'failure-threshold')).toMatchObject({
      status: 'fail',
      summary: '1 cluster failed, reaching the threshold of 1: a (Failed).',
    });
    expect(r.reasons).toContain('Failure threshold: 1 cluster failed, reaching the threshold of 1: a (Failed).');
  });

  it('failureThreshold: under the threshold passes; no threshold never reaches', () => {
    const w = wave({ a: 'Failed', b: 'Succeeded', c: 'Succeeded' });
    const base = input(w);
    const two = evaluateReadiness({ ...base, rollout: { ...base.rollout, policy: { failureThreshold: 2, sourceFields: {} } } });
    expect(two.failureThreshold).toEqual({ threshold: 2, failed: 1, reached: false });
    expect(check(two, 'failure-threshold').status).toBe('pass');
    const none = evaluateReadiness({ ...base, rollout: { ...base.rollout, policy: { sourceFields: {} } } });
    expect(none.failureThreshold).toEqual({ failed: 1, reached: false });
    expect(check(none, 'failure-threshold')).toMatchObject({ status: 'pass', summary: 'The rollout sets no failure threshold.' });
  });

  it('promql extras: the configured comparison decides; a blocking extra failing blocks', () => {
    const checks = checksFor([
      { id: 'latency', title: 'p99 latency', severity: 'blocking', query: 'x', op: '<', threshold: 0.5, stages: '*', rollouts: '*' },
    ]);
    const figures = {
      ...healthyFigures(['a', 'b', 'c']),
      extras: new Map([
        [
          'latency',
          {
            values: new Map([
              ['a', 0.2],
              ['b', 0.7],
              ['c', 0.1],
            ]),
          },
        ],
      ]),
    };
    const r = evaluate(W, { checks, figures });
    expect(check(r, 'latency')).toMatchObject({ kind: 'promql', status: 'fail', threshold: 0.5 });
    expect(r.reasons).toEqual(['p99 latency: 1 of 3 clusters not < 0.5: b (0.7).']);
    const down = evaluate(W, { checks, figures: { ...figures, extras: new Map([['latency', { error: 'refused' }]]) } });
    expect(check(down, 'latency').status).toBe('unknown');
    expect(down.verdict).toBe('Unknown');
    const ok = evaluate(W, {
      checks,
      figures: {
        ...figures,
        extras: new Map([
          [
            'latency',
            {
              values: new Map([
                ['a', 0.1],
                ['b', 0.1],
                ['c', 0.1],
              ]),
            },
          ],
        ]),
      },
    });
    expect(ok.verdict).toBe('Ready');
  });

  it('names the subject wave in reasons when the gate is before a wave that has not started', () => {
    const f = healthyFigures(['a', 'b', 'c']);
    const r = evaluate(W, {
      wave: 'production',
      figures: {
        ...f,
        podHealth: {
          values: new Map([
            ['a', 0.5],
            ['b', 0.99],
            ['c', 0.99],
          ]),
        },
      },
    });
    expect(r.wave).toBe('production');
    expect(r.reasons[0]).toMatch(/^Pod health \(wave canary\): /);
  });
});
