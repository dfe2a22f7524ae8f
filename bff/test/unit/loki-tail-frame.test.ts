import { describe, expect, it } from 'vitest';

import { parseTailFrame } from '../../src/sources/loki/envelopes.ts';
import { LokiError } from '../../src/sources/loki/loki-error.ts';
import { tailUrl } from '../../src/sources/loki/loki-tail.ts';

/** Loki's documented tail frame (docs: "Stream logs", `GET /loki/api/v1/tail`). */
const documented = {
  streams: [
    {
      stream: { cluster: 'prod-us-east', namespace: 'client-a-apps', filename: '/var/log/app.log' },
      values: [
        ['1700000000000000001', 'first line'],
        ['1700000000000000002', 'second line'],
      ],
    },
  ],
  dropped_entries: [
    { labels: { cluster: 'prod-us-east' }, timestamp: '1700000000000000000' },
    { labels: { cluster: 'prod-us-east' }, timestamp: '1699999999000000000' },
  ],
};

describe('parseTailFrame', () => {
  it("reads Loki's documented envelope and keeps only the count of dropped entries", () => {
    const frame = parseTailFrame(JSON.stringify(documented));
    expect(frame).toEqual({ streams: documented.streams, dropped: 2 });
  });

  it('counts a missing or null dropped_entries as none, and a null or missing streams as no lines', () => {
    expect(parseTailFrame(JSON.stringify({ streams: documented.streams })).dropped).toBe(0);
    expect(parseTailFrame(JSON.stringify({ streams: documented.streams, dropped_entries: null })).dropped).toBe(0);
    expect(parseTailFrame(JSON.stringify({ streams: null, dropped_entries: [{ labels: {}, timestamp: '1' }] }))).toEqual({
      streams: [],
      dropped: 1,
    });
    expect(parseTailFrame('{}')).toEqual({ streams: [], dropped: 0 });
  });

  it('passes entries on as [ns, line], without structured metadata', () => {
    const frame = parseTailFrame(
      JSON.stringify({ streams: [{ stream: { a: 'b' }, values: [['1700000000000000001', 'x', { trace_id: 'abc' }]] }] }),
    );
    expect(frame.streams[0]!.values).toEqual([['1700000000000000001', 'x']]);
  });

  it.each([
    ['not JSON', 'streams: []'],
    ['a list', '[]'],
    ['a string', '"x"'],
    ['streams not a list', JSON.stringify({ streams: {} })],
    ['a numeric timestamp', JSON.stringify({ streams: [{ stream: {}, values: [[1700000000, 'x']] }] })],
    ['a timestamp that is not ns digits', JSON.stringify({ streams: [{ stream: {}, values: [['17e9', 'x']] }] })],
    ['a line that is not a string', JSON.stringify({ streams: [{ stream: {}, values: [['1', 5]] }] })],
    ['a label that is not a string', JSON.stringify({ streams: [{ stream: { a: 1 }, values: [] }] })],
    ['a stream without labels', JSON.stringify({ streams: [{ values: [] }] })],
    ['dropped_entries not a list', JSON.stringify({ streams: [], dropped_entries: 3 })],
  ])('refuses a frame with %s', (_name, text) => {
    expect(() => parseTailFrame(text)).toThrow(LokiError);
  });
});

describe('tailUrl', () => {
  const p = { query: '{cluster="a"} |= "x"', start: 1_700_000_000_000_000_000n, limit: 100, delayForSeconds: 2 };

  it("turns Loki's http(s) URL into ws(s), keeps a gateway's path prefix and sends Loki's parameter names", () => {
    const url = tailUrl('http://loki.invalid:3100', p);
    expect(url.protocol).toBe('ws:');
    expect(url.pathname).toBe('/loki/api/v1/tail');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      query: '{cluster="a"} |= "x"',
      start: '1700000000000000000',
      limit: '100',
      delay_for: '2',
    });
    const tls = tailUrl('https://gw.invalid/loki-a/', p);
    expect(tls.protocol).toBe('wss:');
    expect(tls.pathname).toBe('/loki-a/loki/api/v1/tail');
  });

  it('refuses any other scheme', () => {
    expect(() => tailUrl('ftp://loki.invalid', p)).toThrow(LokiError);
  });
});
