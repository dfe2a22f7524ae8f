import { describe, expect, it } from 'vitest';

import { clusterPanelQueries, namespaceRegex, promString, stepFor } from '../../src/sources/health/cluster-panels.ts';
import { healthForNamespaces } from '../../src/sources/health/health-source.ts';

describe('cluster panel queries', () => {
  it('puts the cluster matcher into every selector of every panel', () => {
    for (const { query } of clusterPanelQueries('prod-us-east')) {
      const selectors = query!.match(/\{[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const s of selectors) expect(s).toContain('cluster="prod-us-east"');
    }
  });

  it('writes the cluster name as a PromQL string literal, never as query text', () => {
    expect(promString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it('keeps about 120 points per chart', () => {
    expect(stepFor('1h')).toBe(60);
    expect(stepFor('6h')).toBe(180);
    expect(stepFor('24h')).toBe(720);
  });

  it('gives a namespace-limited person namespace-limited queries, and no query for cluster-wide figures', () => {
    const panels = clusterPanelQueries('client-a-staging', ['client-a-*']);
    const byId = new Map(panels.map((p) => [p.id, p.query]));
    for (const id of ['nodesReady', 'gitopsSync', 'violations', 'failedAuth'] as const) expect(byId.get(id), id).toBeUndefined();
    expect(byId.get('apiAvailability')).toContain('cluster="client-a-staging"');
    for (const id of ['podHealthRatio', 'cpu', 'memory'] as const) {
      // Every selector that counts (not the capacity underneath a ratio) carries the namespace matcher.
      const counting = byId.get(id)!.match(/(kube_pod_status_phase|container_\w+)\{[^}]*\}/g)!;
      expect(counting.length, id).toBeGreaterThan(0);
      for (const s of counting) expect(s, id).toContain('namespace=~"client-a-.*"');
    }
    // No namespace at all: nothing is counted.
    expect(
      clusterPanelQueries('c', [])
        .filter((p) => p.query !== undefined)
        .map((p) => p.id),
    ).toEqual(['apiAvailability']);
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
