import { describe, expect, it } from 'vitest';

import { clusterPanelQueries, promString, stepFor } from '../../src/sources/health/cluster-panels.ts';

describe('cluster panel queries', () => {
  it('puts the cluster matcher into every selector of every panel', () => {
    for (const { query } of clusterPanelQueries('prod-us-east')) {
      const selectors = query.match(/\{[^}]*\}/g) ?? [];
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
});
