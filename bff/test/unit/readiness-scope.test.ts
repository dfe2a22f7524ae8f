import { describe, expect, it } from 'vitest';

import { WaveReadiness } from '@fleetdeck/shared';

import { evaluateReadiness, type ViewerReach } from '../../src/promotion/readiness/evaluate.ts';
import { healthyFigures, input, violation, wave } from './readiness-fixtures.ts';

const W = wave({ a: 'Succeeded', b: 'Succeeded', c: 'Succeeded' });
const check = (r: WaveReadiness, id: string) => r.checks.find((c) => c.id === id)!;
const evaluate = (...args: Parameters<typeof input>) => {
  const r = evaluateReadiness(input(...args));
  expect(WaveReadiness.safeParse(r).success).toBe(true);
  return r;
};

describe('readiness evaluation per viewer', () => {
  const viewer: ViewerReach = {
    visible: (c) => c !== 'b',
    whole: (c) => c === 'a',
    sees: (c, ns) => c === 'a' || (c === 'c' && ns === 'mine'),
  };
  const figures = {
    ...healthyFigures(['a', 'b', 'c']),
    podHealth: {
      values: new Map([
        ['a', 0.99],
        ['b', 0.5],
        ['c', 0.9],
      ]),
    },
  };
  const introduced = {
    byCluster: new Map([
      ['b', [violation('b', '2026-11-20T10:10:00Z')]],
      ['c', [violation('c', '2026-11-20T10:10:00Z', 'c1', 'mine'), violation('c', '2026-11-20T10:10:00Z', 'c2', 'theirs')]],
    ]),
    unknown: new Set<string>(),
    countsOnly: [],
  };

  it('counts hidden failing clusters without naming them, and keeps the unscoped verdict', () => {
    const all = evaluate(W, { figures, introduced });
    const mine = evaluate(W, { figures, introduced, viewer });
    expect(mine.verdict).toBe(all.verdict);
    expect(mine.hiddenClusters).toBe(1);
    const pod = check(mine, 'pod-health');
    expect(pod.hiddenFailing).toBe(1);
    expect(pod.clusters.map((c) => c.cluster)).toEqual(['c', 'a']);
    expect(pod.summary).toBe('2 of 3 clusters below 95% pods healthy: c, 1 cluster you may not see.');
    const text = JSON.stringify(mine);
    expect(text).not.toMatch(/"b"|Health of b|cluster=b|b \(/);
  });

  it('hides cluster-wide values where the viewer sees only some namespaces', () => {
    const mine = evaluate(W, { figures, introduced, viewer });
    const pod = check(mine, 'pod-health');
    expect(pod.clusters.find((c) => c.cluster === 'c')).toEqual({ cluster: 'c', status: 'fail' });
    expect(pod.clusters.find((c) => c.cluster === 'a')).toEqual({ cluster: 'a', status: 'pass', value: 0.99 });
  });

  it('lists only the introduced violations the viewer may see', () => {
    const mine = evaluate(W, { figures, introduced, viewer });
    expect(mine.introducedViolations.items.map((v) => v.id)).toEqual(['c1']);
    expect(mine.introducedViolations.total).toBe(1);
    expect(check(mine, 'violations-introduced').hiddenFailing).toBe(1);
  });

  it('the verdict does not depend on who asks, even when only hidden clusters fail', () => {
    const onlyHidden = {
      ...healthyFigures(['a', 'b', 'c']),
      podHealth: {
        values: new Map([
          ['a', 0.99],
          ['b', 0.5],
          ['c', 0.99],
        ]),
      },
    };
    const mine = evaluate(W, { figures: onlyHidden, viewer });
    expect(mine.verdict).toBe('NotReady');
    expect(mine.reasons).toEqual(['Pod health: 1 of 3 clusters below 95% pods healthy: 1 cluster you may not see.']);
    expect(check(mine, 'pod-health').evidence).toEqual([]);
  });
});
