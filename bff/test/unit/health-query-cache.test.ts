import { describe, expect, it } from 'vitest';

import { promAccess } from '../../src/access/promql/index.ts';
import { defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { builtinPanelDefs } from '../../src/sources/health/panel-defs.ts';
import { prometheusFleetPanel } from '../../src/sources/health/prometheus-fleet.ts';
import { QueryCache, answerBytes, queryKey } from '../../src/sources/health/query-cache.ts';
import { recordedQueries } from '../../src/sources/health/recording-rules.ts';
import type { PrometheusClient, QueryData, RawAnswer } from '../../src/sources/prometheus/prometheus-client.ts';

const answer = (points: number, warnings: string[] = []): RawAnswer<QueryData> => ({
  data: {
    resultType: 'matrix',
    result: [{ metric: { cluster: 'a' }, values: Array.from({ length: points }, (_, i) => [i, '1'] as [number, string]) }],
  },
  warnings,
});

/** A loader that counts its calls and resolves when told. */
function loader(value: RawAnswer<QueryData> = answer(1)) {
  let calls = 0;
  const load = () => {
    calls++;
    return Promise.resolve(value);
  };
  return { load, calls: () => calls };
}

describe('the query cache', () => {
  it('keys by the enforced text and the whole evaluation: range, step, or instant', () => {
    const range = { from: 0, to: 3600, step: 60 };
    expect(queryKey('q', range)).toBe(queryKey('q', { ...range }));
    expect(new Set([queryKey('q', range), queryKey('q2', range), queryKey('q', { ...range, step: 120 })]).size).toBe(3);
    expect(queryKey('q', { ...range, from: 60 })).not.toBe(queryKey('q', range));
    expect(queryKey('q', { at: 3600 })).not.toBe(queryKey('q', { from: 3600, to: 3600, step: 3600 }));
  });

  it('answers a repeated query from memory until the TTL, then asks again', async () => {
    let now = 1000;
    const cache = new QueryCache({ ttlMs: 15_000, now: () => now });
    const l = loader();
    await cache.get('k', l.load);
    await cache.get('k', l.load);
    expect(l.calls()).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    now += 15_000;
    await cache.get('k', l.load);
    expect(l.calls()).toBe(2);
  });

  it('shares one request among identical queries in flight', async () => {
    const cache = new QueryCache();
    let release!: (a: RawAnswer<QueryData>) => void;
    let calls = 0;
    const load = () => {
      calls++;
      return new Promise<RawAnswer<QueryData>>((r) => (release = r));
    };
    const both = Promise.all([cache.get('k', load), cache.get('k', load)]);
    release(answer(2));
    const [a, b] = await both;
    expect(calls).toBe(1);
    expect(a).toBe(b);
  });

  it('runs the TTL from the answer: a request slower than the TTL is still shared, and its answer then kept the TTL', async () => {
    let now = 0;
    const cache = new QueryCache({ ttlMs: 1000, now: () => now });
    let release!: (a: RawAnswer<QueryData>) => void;
    let calls = 0;
    const load = () => {
      calls++;
      return new Promise<RawAnswer<QueryData>>((r) => (release = r));
    };
    const first = cache.get('k', load);
    now = 5000; // still in flight, long past the TTL
    const second = cache.get('k', load);
    release(answer(1));
    await Promise.all([first, second]);
    now = 5900;
    await cache.get('k', load);
    expect(calls).toBe(1);
    now = 6000;
    void cache.get('k', load);
    expect(calls).toBe(2);
  });

  it('does not keep a failure: the next caller asks again', async () => {
    const cache = new QueryCache();
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await Promise.resolve();
    const l = loader();
    await cache.get('k', l.load);
    expect(l.calls()).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('stays within its entry count, evicting the least recently used', async () => {
    const cache = new QueryCache({ maxEntries: 2 });
    const l = loader();
    await cache.get('a', l.load);
    await cache.get('b', l.load);
    await cache.get('a', l.load); // a is now the most recent
    await cache.get('c', l.load); // evicts b
    expect(cache.size).toBe(2);
    await cache.get('a', l.load);
    expect(l.calls()).toBe(3);
    await cache.get('b', l.load);
    expect(l.calls()).toBe(4);
  });

  it('stays within its byte budget, and does not keep one answer bigger than a quarter of it', async () => {
    const one = answerBytes(answer(100));
    expect(one).toBeGreaterThan(4000);
    const cache = new QueryCache({ maxBytes: one * 4 + 10 });
    const l = loader(answer(100));
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) await cache.get(k, l.load);
    await Promise.resolve();
    expect(cache.bytes).toBeLessThanOrEqual(one * 4 + 10);
    expect(cache.size).toBe(4);
    const big = loader(answer(1000));
    await cache.get('big', big.load);
    await Promise.resolve();
    await cache.get('big', big.load);
    expect(big.calls()).toBe(2);
    expect(cache.bytes).toBeLessThanOrEqual(one * 4 + 10);
  });
});

/**
 * A Prometheus of three clusters' CPU that honours the enforced `cluster=~"…"` matcher of the
 * query it receives (as the real one would), recording every query it is sent.
 */
function scopedUpstream() {
  const data: Record<string, number> = { 'client-a-prod': 1, 'client-a-dev': 2, 'client-b-prod': 30 };
  const sent: string[] = [];
  const visible = (query: string) => {
    sent.push(query);
    // The enforcer's matcher: RE2 of literals and groups, as a JS RegExp for these names (`-` needs no escape), anchored as Prometheus does.
    const re = /cluster=~"([^"]*)"/.exec(query)?.[1];
    const allowed = re === undefined ? () => false : (c: string) => new RegExp(`^(?:${re})$`).test(c);
    return Object.entries(data).filter(([c]) => allowed(c));
  };
  const client = {
    rangeRaw: (query: string, from: number, to: number): Promise<RawAnswer<QueryData>> => {
      const rows = visible(query);
      const result = query.startsWith('label_replace(')
        ? // the merged band: one figure (the sum stands in for each) over the scope's clusters
          ['p50', 'p95', 'min', 'max', 'n'].map((f) => ({
            metric: { fleetdeck_part: f },
            values: [[to, String(rows.reduce((n, [, v]) => n + v, 0))] as [number, string]],
          }))
        : rows.map(([cluster, v]) => ({ metric: { cluster }, values: [[from, String(v)] as [number, string]] }));
      return Promise.resolve({ data: { resultType: 'matrix', result }, warnings: [] });
    },
    instantRaw: (query: string, o: { time: number }): Promise<RawAnswer<QueryData>> => {
      const result = visible(query).map(([cluster, v]) => ({ metric: { cluster }, value: [o.time, String(v)] as [number, string] }));
      return Promise.resolve({ data: { resultType: 'vector', result }, warnings: [] });
    },
  } as unknown as PrometheusClient; // the two calls a panel makes
  return { client, sent };
}

describe('the cache across scopes', () => {
  const config = defaultHealthConfig();
  const def = builtinPanelDefs(config).find((d) => d.id === 'cpu')!;
  const expr = recordedQueries(config).get('cpu')!;
  const window = { range: '24h' as const, from: 1_795_577_100, to: 1_795_663_500, step: 300 };

  it('gives two scopes looking at the same panel different upstream queries and different answers; the same scope twice, no query', async () => {
    const { client, sent } = scopedUpstream();
    const cache = new QueryCache();
    const tenantA = promAccess([{ clusters: ['client-a-dev', 'client-a-prod'], namespaces: '*' }]);
    const tenantB = promAccess([{ clusters: ['client-b-prod'], namespaces: '*' }]);
    const a = await prometheusFleetPanel(client, def, expr, tenantA, window, 5, { cache });
    const sentForA = sent.splice(0);
    const b = await prometheusFleetPanel(client, def, expr, tenantB, window, 5, { cache });
    const sentForB = sent.splice(0);
    // B asked upstream itself (nothing of A's reused), and no query text is shared.
    expect(sentForB).toHaveLength(sentForA.length);
    expect(sentForA.filter((q) => sentForB.includes(q))).toEqual([]);
    expect(a.table.map((r) => r.cluster)).toEqual(['client-a-dev', 'client-a-prod']);
    expect(b.table.map((r) => r.cluster)).toEqual(['client-b-prod']);
    expect(a.band[0]!.p50).toBe(3);
    expect(b.band[0]!.p50).toBe(30);
    expect(b.worst.map((w) => w.cluster)).toEqual(['client-b-prod']);
    // A second person of tenant A: answered from the cache, the same answer; B's data never in it.
    const again = await prometheusFleetPanel(client, def, expr, tenantA, window, 5, { cache });
    expect(sent).toEqual([]);
    expect(again).toEqual(a);
  });
});
