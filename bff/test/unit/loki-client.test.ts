import { describe, expect, it } from 'vitest';

import { LokiInstantQuery, LokiQueryRangeQuery, LokiSeriesQuery, parseLokiDuration, parseLokiTime } from '@fleetdeck/shared';

import { LokiClient, LokiError, queryData } from '../../src/sources/loki/loki-client.ts';

type Seen = { url: URL; headers: Headers };

function client(answer: (seen: Seen) => Response, opts: { maxBodyBytes?: number } = {}) {
  const seen: Seen[] = [];
  const fake = ((input: string | URL | Request, init?: RequestInit) => {
    const s = { url: new URL(input instanceof Request ? input.url : input), headers: new Headers(init?.headers) };
    seen.push(s);
    return Promise.resolve(answer(s));
  }) as typeof fetch;
  return { loki: new LokiClient({ url: 'http://loki.invalid:3100/', timeoutMs: 1000, fetch: fake, ...opts }), seen };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const span = { start: 1_000_000_000_000_000_000n, end: 1_000_003_600_000_000_000n };

describe('LokiClient', () => {
  it("accepts Loki's streams envelope (nanosecond string timestamps) and sends the range in nanoseconds", async () => {
    const { loki, seen } = client(() =>
      json({
        status: 'success',
        data: {
          resultType: 'streams',
          result: [{ stream: { cluster: 'a' }, values: [['1700000000123456789', 'line']] }],
          stats: { summary: {} },
        },
      }),
    );
    const data = await loki.queryRange({ query: '{cluster="a"}', ...span, limit: 10, direction: 'backward' }, undefined);
    expect(data).toEqual({ resultType: 'streams', result: [{ stream: { cluster: 'a' }, values: [['1700000000123456789', 'line']] }] });
    expect(seen[0]!.url.pathname).toBe('/loki/api/v1/query_range');
    expect(seen[0]!.url.searchParams.get('start')).toBe(span.start.toString());
    expect(seen[0]!.url.searchParams.get('limit')).toBe('10');
    expect(seen[0]!.headers.has('x-scope-orgid')).toBe(false);
  });

  it('accepts matrix and vector envelopes, and refuses shapes it does not know', () => {
    expect(queryData({ resultType: 'matrix', result: [{ metric: { a: 'b' }, values: [[1700000000, '3']] }] }, ['matrix']).resultType).toBe(
      'matrix',
    );
    expect(queryData({ resultType: 'vector', result: [{ metric: {}, value: [1700000000.5, '1'] }] }, ['vector']).resultType).toBe('vector');
    expect(() => queryData({ resultType: 'streams', result: [{ stream: {}, values: [[123, 'x']] }] }, ['streams'])).toThrow(LokiError);
    expect(() => queryData({ resultType: 'streams', result: [{ stream: { a: 1 }, values: [] }] }, ['streams'])).toThrow(LokiError);
    expect(() => queryData({ resultType: 'vector', result: [] }, ['streams', 'matrix'])).toThrow(/vector result/);
  });

  it('sets X-Scope-OrgID only from the org ids it is given, joined with "|", and refuses malformed ones', async () => {
    const { loki, seen } = client(() => json({ status: 'success', data: ['a'] }));
    await loki.labels('{cluster="a"}', span, ['org-b', 'org-a', 'org-a']);
    expect(seen[0]!.headers.get('x-scope-orgid')).toBe('org-a|org-b');
    await expect(loki.labels('{cluster="a"}', span, [])).rejects.toThrow(LokiError);
    await expect(loki.labels('{cluster="a"}', span, ['a|b'])).rejects.toThrow(LokiError);
    expect(seen).toHaveLength(1);
  });

  it('passes match[] repeatedly to /series and label names path-escaped', async () => {
    const { loki, seen } = client((s) => json({ status: 'success', data: s.url.pathname.endsWith('series') ? [{ cluster: 'a' }] : ['x'] }));
    expect(await loki.series(['{a="1"}', '{b="2"}'], span, undefined)).toEqual([{ cluster: 'a' }]);
    expect(seen[0]!.url.searchParams.getAll('match[]')).toEqual(['{a="1"}', '{b="2"}']);
    expect(await loki.labelValues('namespace', '{a="1"}', span, undefined)).toEqual(['x']);
    expect(seen[1]!.url.pathname).toBe('/loki/api/v1/label/namespace/values');
  });

  it("never returns Loki's own words: 4xx is 'refused', 5xx and non-JSON are 'upstream'", async () => {
    const secret = 'parse error at 10.0.0.7:3100 near {cluster=~"client-b"}';
    const refused = client(() => new Response(secret, { status: 400 }));
    const err = await refused.loki.labels('{a="1"}', span, undefined).catch((e: unknown) => e as LokiError);
    expect(err).toBeInstanceOf(LokiError);
    expect((err as LokiError).kind).toBe('refused');
    expect((err as LokiError).message).not.toContain('10.0.0.7');
    const down = client(() => new Response(secret, { status: 500 }));
    const e2 = await down.loki.labels('{a="1"}', span, undefined).catch((e: unknown) => e as LokiError);
    expect((e2 as LokiError).kind).toBe('upstream');
    expect((e2 as LokiError).message).not.toMatch(/10\.0\.0\.7|client-b/);
  });

  it('refuses answers over the byte cap', async () => {
    const { loki } = client(() => json({ status: 'success', data: ['x'.repeat(5000)] }), { maxBodyBytes: 1000 });
    await expect(loki.labels('{a="1"}', span, undefined)).rejects.toThrow(/more than/);
  });
});

describe('Loki route schemas', () => {
  it('cap limit, query size and time range', () => {
    expect(LokiQueryRangeQuery.safeParse({ query: '{a="b"}', limit: '5000' }).success).toBe(true);
    expect(LokiQueryRangeQuery.safeParse({ query: '{a="b"}', limit: '5001' }).success).toBe(false);
    expect(LokiQueryRangeQuery.safeParse({ query: `{a="${'x'.repeat(64 * 1024)}"}` }).success).toBe(false);
    const now = Math.floor(Date.now() / 1000);
    expect(LokiQueryRangeQuery.safeParse({ query: '{a="b"}', start: String(now - 7 * 86400 + 60) }).success).toBe(true);
    expect(LokiQueryRangeQuery.safeParse({ query: '{a="b"}', start: String(now - 8 * 86400) }).success).toBe(false);
    expect(LokiQueryRangeQuery.safeParse({ query: '{a="b"}', start: String(now), end: String(now - 10) }).success).toBe(false);
    expect(LokiQueryRangeQuery.safeParse({ query: ['{a="b"}', '{c="d"}'] }).success).toBe(false);
    expect(LokiQueryRangeQuery.safeParse({ query: '{a="b"}', 'X-Scope-OrgID': 'x' }).success).toBe(false);
    expect(LokiInstantQuery.safeParse({ query: '{a="b"}', time: 'yesterday' }).success).toBe(false);
    expect(LokiSeriesQuery.safeParse({ 'match[]': ['{a="b"}', '{c="d"}'] }).success).toBe(true);
    expect(LokiSeriesQuery.safeParse({}).success).toBe(false);
  });

  it("parse Loki's time and duration forms", () => {
    expect(parseLokiTime('1700000000')).toBe(1_700_000_000_000_000_000n);
    expect(parseLokiTime('1700000000123456789')).toBe(1_700_000_000_123_456_789n);
    expect(parseLokiTime('1700000000.5')).toBe(1_700_000_000_500_000_000n);
    expect(parseLokiTime('2023-11-14T22:13:20Z')).toBe(1_700_000_000_000_000_000n);
    expect(parseLokiTime('soon')).toBeUndefined();
    expect(parseLokiDuration('1m30s')).toBe(90);
    expect(parseLokiDuration('15')).toBe(15);
    expect(parseLokiDuration('x')).toBeUndefined();
  });
});
