import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { describe, expect, it } from 'vitest';

import { DemoLogSource } from '../../src/sources/demo/logs/demo-log-source.ts';
import { LokiError } from '../../src/sources/loki/loki-client.ts';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const NOW_NS = BigInt(NOW) * 1_000_000n;
const WEEK = 7n * 86_400n * 1_000_000_000n;

/**
 * A synthetic fleet (as demo.syntheticClusters makes for scale tests): lines are never
 * stored and a query generates about what its limit needs, whatever the range.
 */
describe('demo logs at scale', () => {
  const fleet = demoClusters(new Date(NOW), 2000);
  const src = new DemoLogSource({ clusters: () => fleet, now: () => NOW });

  it('a 7-day log query over every stream of 2,000+ clusters generates about `limit` lines, not the week', async () => {
    const before = src.store.generated;
    const data = await src.queryRange(
      { query: '{cluster=~".+"}', start: NOW_NS - WEEK, end: NOW_NS, limit: 1000, direction: 'backward' },
      undefined,
    );
    const lines = (data.result as { values: unknown[] }[]).reduce((n, s) => n + s.values.length, 0);
    expect(lines).toBe(1000);
    // A week of this fleet is millions of lines; the merge reads times first and makes only the lines it returns.
    expect(src.store.generated - before).toBeLessThanOrEqual(1000);
  });

  it('a 7-day volume by level (no pipeline) is counted, generating no line at all', async () => {
    const before = src.store.generated;
    const data = await src.queryRange(
      {
        query: 'sum by (level) (count_over_time({cluster=~"client-a-.+"}[1h]))',
        start: NOW_NS - WEEK,
        end: NOW_NS,
        limit: 100,
        direction: 'backward',
        step: '3600',
      },
      undefined,
    );
    expect(data.resultType).toBe('matrix');
    expect(new Set((data.result as { metric: Record<string, string> }[]).map((r) => r.metric.level))).toEqual(
      new Set(['debug', 'info', 'warn', 'error']),
    );
    expect(src.store.generated).toBe(before);
  });

  it('a query that would read more lines than the budget is refused, not run', async () => {
    const small = new DemoLogSource({ clusters: () => fleet, now: () => NOW, readBudget: 20_000 });
    const err = await small
      .queryRange(
        {
          query: 'sum(count_over_time({cluster=~".+"} |= "timeout" [1h]))',
          start: NOW_NS - WEEK,
          end: NOW_NS,
          limit: 100,
          direction: 'backward',
          step: '3600',
        },
        undefined,
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LokiError);
    expect((err as LokiError).message).toMatch(/more than 20000 lines/);
    expect(small.store.generated).toBeLessThanOrEqual(20_001);
  });

  it('keeps the stream catalogue of a bounded number of clusters', () => {
    for (const _ of src.store.catalogue([])) void _;
    expect(src.store.cachedClusters).toBeLessThanOrEqual(512);
  });
});
