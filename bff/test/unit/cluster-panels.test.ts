import { describe, expect, it } from 'vitest';

import { namespaceRegex, promString } from '../../src/sources/health/cluster-panels.ts';
import { healthForNamespaces } from '../../src/sources/health/health-source.ts';

describe('health query helpers', () => {
  it('writes the cluster name as a PromQL string literal, never as query text', () => {
    expect(promString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it('turns namespace globs into an anchored-by-Prometheus RE2 alternation, escaping everything else', () => {
    expect(namespaceRegex(['client-a-*', 'team.x?', 'a|b'])).toBe('client-a-.*|team\\.x.|a\\|b');
  });

  it('sums a namespace-limited person’s pod ratio over their namespaces only, and drops cluster-wide counts', () => {
    const pods = new Map([
      ['client-a-apps', { running: 9, total: 10 }],
      ['kube-system', { running: 0, total: 90 }],
    ]);
    const whole = { apiUp: true, nodesReady: 3, nodesTotal: 3, podHealthRatio: 0.09, violations: 4 };
    expect(healthForNamespaces(whole, pods, '*')).toEqual(whole);
    expect(healthForNamespaces(whole, pods, ['client-a-*'])).toEqual({ apiUp: true, podHealthRatio: 0.9 });
    expect(healthForNamespaces(whole, pods, ['other-*'])).toEqual({ apiUp: true });
  });
});
