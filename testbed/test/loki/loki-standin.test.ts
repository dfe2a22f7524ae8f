import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { startLokiStandin, type LokiStandin } from '../../src/loki/index.ts';

/**
 * The stand-in's answers against the envelopes of Loki's HTTP API reference
 * ("Query logs within a range of time", "Query logs at a single point in time",
 * "Query labels", "Query streams", "Stream logs"): the same fields, types and nesting.
 */
const ns = (msAgo: number) => ((BigInt(Date.now()) - BigInt(msAgo)) * 1_000_000n).toString();

let single: LokiStandin;
let multi: LokiStandin;
beforeAll(async () => {
  single = await startLokiStandin({ port: 0 });
  multi = await startLokiStandin({ port: 0, multiTenant: true });
  single.push(undefined, [
    {
      stream: { cluster: 'a', namespace: 'apps', pod: 'web-0' },
      values: [
        [ns(3000), 'GET / 200'],
        [ns(2000), 'level=error connection refused'],
        [ns(1000), 'GET /x 404'],
      ],
    },
    { stream: { cluster: 'b', namespace: 'apps', pod: 'web-0' }, values: [[ns(1500), 'level=error timeout']] },
  ]);
});
afterAll(async () => {
  await single?.close();
  await multi?.close();
});

const get = async (base: LokiStandin, path: string, params: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, x);
  return fetch(`${base.url}${path}?${q}`, { headers });
};

describe('Loki-API stand-in envelopes', () => {
  it('query_range with a log query: status, data.resultType "streams", result[].stream/values as [ns string, line], stats', async () => {
    const res = await get(single, '/loki/api/v1/query_range', { query: '{namespace="apps"} |= "error"', limit: '10' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      data: {
        resultType: string;
        result: { stream: Record<string, string>; values: unknown[][] }[];
        stats: { summary: Record<string, number> };
      };
    };
    expect(Object.keys(body).sort()).toEqual(['data', 'status']);
    expect(body.status).toBe('success');
    expect(Object.keys(body.data).sort()).toEqual(['result', 'resultType', 'stats']);
    expect(body.data.resultType).toBe('streams');
    expect(body.data.result).toHaveLength(2);
    for (const r of body.data.result) {
      expect(Object.keys(r).sort()).toEqual(['stream', 'values']);
      for (const [ts, line] of r.values) {
        expect(ts).toMatch(/^\d{19}$/);
        expect(line).toContain('error');
      }
    }
    expect(body.data.stats.summary.totalEntriesReturned).toBe(2);
  });

  it('query_range honours direction and limit (backward: newest first)', async () => {
    const back = (await (await get(single, '/loki/api/v1/query_range', { query: '{cluster="a"}', limit: '2' })).json()) as {
      data: { result: { values: string[][] }[] };
    };
    expect(back.data.result[0]!.values.map((v) => v[1])).toEqual(['GET /x 404', 'level=error connection refused']);
    const fwd = (await (
      await get(single, '/loki/api/v1/query_range', { query: '{cluster="a"}', limit: '1', direction: 'forward' })
    ).json()) as { data: { result: { values: string[][] }[] } };
    expect(fwd.data.result[0]!.values.map((v) => v[1])).toEqual(['GET / 200']);
  });

  it('query_range with a metric query: resultType "matrix", result[].metric/values as [seconds number, value string]', async () => {
    const end = (Date.now() / 1000).toFixed(3);
    const res = await get(single, '/loki/api/v1/query_range', {
      query: 'sum by (cluster) (count_over_time({namespace="apps"}[1m]))',
      start: String(Number(end) - 30),
      end,
      step: '10',
    });
    const body = (await res.json()) as {
      data: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    expect(body.data.resultType).toBe('matrix');
    const a = body.data.result.find((r) => r.metric.cluster === 'a')!;
    expect(Object.keys(a).sort()).toEqual(['metric', 'values']);
    expect(a.metric).toEqual({ cluster: 'a' });
    const [t, v] = a.values.at(-1)!;
    expect(typeof t).toBe('number');
    expect(v).toBe('3');
  });

  it('query (instant) with a metric query: resultType "vector", result[].value as [seconds number, value string]', async () => {
    const res = await get(single, '/loki/api/v1/query', { query: 'sum(rate({namespace="apps"} |= "error" [1m]))' });
    const body = (await res.json()) as {
      status: string;
      data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    expect(body.data.resultType).toBe('vector');
    expect(body.data.result).toHaveLength(1);
    expect(body.data.result[0]!.metric).toEqual({});
    expect(Number(body.data.result[0]!.value[1])).toBeCloseTo(2 / 60, 5);
  });

  it('labels, label values and series: status + data arrays', async () => {
    expect(await (await get(single, '/loki/api/v1/labels', {})).json()).toEqual({
      status: 'success',
      data: ['cluster', 'namespace', 'pod'],
    });
    expect(await (await get(single, '/loki/api/v1/label/cluster/values', {})).json()).toEqual({ status: 'success', data: ['a', 'b'] });
    expect(await (await get(single, '/loki/api/v1/series', { 'match[]': '{cluster="b"}' })).json()).toEqual({
      status: 'success',
      data: [{ cluster: 'b', namespace: 'apps', pod: 'web-0' }],
    });
  });

  it('answers bad LogQL with 400 and a plain-text reason, and log queries on /query with 400', async () => {
    const bad = await get(single, '/loki/api/v1/query_range', { query: '{cluster="a"' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await bad.text()).toMatch(/parse error/);
    expect((await get(single, '/loki/api/v1/query', { query: '{cluster="a"}' })).status).toBe(400);
    const unsupported = await get(single, '/loki/api/v1/query_range', { query: '{cluster="a"} | unpack' });
    expect(unsupported.status).toBe(400);
    expect(await unsupported.text()).toMatch(/"unpack" parser.*not supported/);
  });
});

describe('multi-tenant mode (X-Scope-OrgID)', () => {
  it('refuses requests without an org id and keeps tenants apart', async () => {
    const missing = await get(multi, '/loki/api/v1/labels', {});
    expect(missing.status).toBe(401);
    expect(await missing.text()).toMatch(/no org id/);
    const push = await fetch(`${multi.url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-scope-orgid': 'client-a' },
      body: JSON.stringify({ streams: [{ stream: { cluster: 'a' }, values: [[ns(10), 'secret of a']] }] }),
    });
    expect(push.status).toBe(204);
    const asA = (await (
      await get(multi, '/loki/api/v1/query_range', { query: '{cluster="a"}' }, { 'x-scope-orgid': 'client-a' })
    ).json()) as { data: { result: unknown[] } };
    const asB = (await (
      await get(multi, '/loki/api/v1/query_range', { query: '{cluster="a"}' }, { 'x-scope-orgid': 'client-b' })
    ).json()) as { data: { result: unknown[] } };
    expect(asA.data.result).toHaveLength(1);
    expect(asB.data.result).toEqual([]);
  });

  it('refuses protobuf pushes it cannot read, with 415', async () => {
    const res = await fetch(`${multi.url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'x-scope-orgid': 'x' },
      body: 'x',
    });
    expect(res.status).toBe(415);
  });
});

describe('tail websocket', () => {
  it('sends {streams, dropped_entries} frames for lines pushed after connecting', async () => {
    const ws = new WebSocket(
      `${single.url.replace('http', 'ws')}/loki/api/v1/tail?${new URLSearchParams({ query: '{cluster="b"} |= "tail-probe"', start: ns(100) })}`,
    );
    const frames: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    const received = new Promise<void>((resolve) => ws.on('message', (d: Buffer) => (frames.push(JSON.parse(d.toString())), resolve())));
    single.push(undefined, [
      {
        stream: { cluster: 'b', namespace: 'apps', pod: 'web-0' },
        values: [
          [ns(0), 'tail-probe hello'],
          [ns(0), 'not this one'],
        ],
      },
    ]);
    await received;
    ws.close();
    expect(frames[0]).toEqual({
      streams: [
        {
          stream: { cluster: 'b', namespace: 'apps', pod: 'web-0' },
          values: [[expect.stringMatching(/^\d+$/) as unknown, 'tail-probe hello']],
        },
      ],
      dropped_entries: null,
    });
  });
});

describe('the LogQL the stand-in evaluates (the shared evaluator)', () => {
  it('parsers, label filters and line_format through the HTTP API', async () => {
    single.push(undefined, [
      {
        stream: { cluster: 'c', namespace: 'shop', pod: 'api-0' },
        values: [
          [ns(4000), '{"level":"info","msg":"ok","status":200}'],
          [ns(3500), '{"level":"error","msg":"db down","status":503}'],
          [ns(3000), 'level=warn msg="slow" status=200'],
        ],
      },
    ]);
    const res = await get(single, '/loki/api/v1/query_range', {
      query: '{cluster="c"} | json | __error__="" | status >= 500 | line_format "{{.level}}: {{.msg}}"',
      limit: '10',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { result: { stream: Record<string, string>; values: string[][] }[] } };
    expect(body.data.result).toEqual([
      {
        stream: { cluster: 'c', namespace: 'shop', pod: 'api-0', level: 'error', msg: 'db down', status: '503' },
        values: [[expect.stringMatching(/^\d{19}$/) as unknown, 'error: db down']],
      },
    ]);
    const volume = await get(single, '/loki/api/v1/query', {
      query: 'sum by (level) (count_over_time({cluster="c"} | logfmt | __error__="" [1m]))',
    });
    const vector = (await volume.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    expect(vector.data.result).toEqual([{ metric: { level: 'warn' }, value: [expect.any(Number) as unknown, '1'] }]);
  });
});

describe('tail frames: dropped_entries', () => {
  const open = async (query: string, extra: Record<string, string> = {}) => {
    const ws = new WebSocket(
      `${single.url.replace('http', 'ws')}/loki/api/v1/tail?${new URLSearchParams({ query, start: ns(0), ...extra })}`,
    );
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d: Buffer) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>));
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    return { ws, frames };
  };
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(cond()).toBe(true);
  };

  it('in list mode applies the tail limit per frame and lists the dropped entries; missing mode leaves the field out', async () => {
    const { ws, frames } = await open('{cluster="d"}', { limit: '2' });
    try {
      single.setTailDroppedEntries('list');
      const values: [string, string][] = [
        [ns(30), 'one'],
        [ns(20), 'two'],
        [ns(10), 'three'],
      ];
      single.push(undefined, [{ stream: { cluster: 'd' }, values }]);
      await until(() => frames.length === 1);
      expect(frames[0]).toEqual({
        streams: [{ stream: { cluster: 'd' }, values: values.slice(1) }],
        dropped_entries: [{ labels: { cluster: 'd' }, timestamp: values[0]![0] }],
      });
      single.setTailDroppedEntries('missing');
      single.push(undefined, [{ stream: { cluster: 'd' }, values: [[ns(0), 'four']] }]);
      await until(() => frames.length === 2);
      expect(frames[1]).toEqual({ streams: [{ stream: { cluster: 'd' }, values: [[expect.any(String) as unknown, 'four']] }] });
    } finally {
      single.setTailDroppedEntries('null');
      ws.close();
    }
  });

  it('the mode can be switched over HTTP on a running stand-in (the daemon’s)', async () => {
    const res = await fetch(`${single.url}/testbed/tail-dropped-entries?mode=list`, { method: 'POST' });
    expect(res.status).toBe(204);
    expect((await fetch(`${single.url}/testbed/tail-dropped-entries?mode=bogus`, { method: 'POST' })).status).toBe(400);
    single.setTailDroppedEntries('null');
  });

  it('refuses a tail with delay_for over 5 or a metric query', async () => {
    const refused = (query: string, extra: Record<string, string> = {}) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(`${single.url.replace('http', 'ws')}/loki/api/v1/tail?${new URLSearchParams({ query, ...extra })}`);
        ws.on('open', () => (ws.close(), resolve(false)));
        ws.on('error', () => resolve(true));
      });
    expect(await refused('{cluster="d"}', { delay_for: '6' })).toBe(true);
    expect(await refused('count_over_time({cluster="d"}[1m])')).toBe(true);
  });
});
