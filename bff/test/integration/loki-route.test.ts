import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { Problem, lokiApiPaths, type LokiQueryData, type LokiStream, type Principal } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { LokiClient } from '../../src/sources/loki/loki-client.ts';
import { startRealModeBff } from '../helpers/demo-client.ts';
import { forgeSessionCookie } from '../helpers/forge-session.ts';

/**
 * The Loki-compatible routes against the testbed's Loki-API stand-in (seeded with an hour
 * of lines per cluster, namespace `<tenant>-apps`), through a recording proxy that shows
 * which X-Scope-OrgID reached Loki.
 */
const env = inject('testbed');

const ADMIN: Principal = { user: 'admin@example.com', groups: ['fleet-platform-admins'] };
const A_ADMIN: Principal = { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] };
const A_DEV: Principal = { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] };
const CLIENT_A = ['prod-us-east', 'prod-us-west', 'client-a-staging', 'edge-retail-001'];
const OTHERS = ['prod-eu-west', 'client-b-staging', 'client-b-dev', 'prod-asia', 'client-c-staging'];

let proxy: Server;
let proxyUrl: string;
const orgHeaders: (string | undefined)[] = [];
let bff: RunningServer;
const UNICODE_LINE = 'payment took 3 µs — ok 🚀 zürich';
let bffOrgs: RunningServer;
let bffDown: RunningServer;

beforeAll(async () => {
  // Forwards to the stand-in, recording the tenant header each request carried.
  proxy = createServer((req, res) => {
    const org = req.headers['x-scope-orgid'];
    orgHeaders.push(typeof org === 'string' ? org : undefined);
    fetch(env.loki.url + (req.url ?? '/'), { headers: org && !env.loki.multiTenant ? {} : { 'x-scope-orgid': String(org ?? '') } })
      .then(async (up) => {
        res
          .writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' })
          .end(Buffer.from(await up.arrayBuffer()));
      })
      .catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  // A stream outside the Developer's namespaces, on a cluster they may read.
  const push = await fetch(`${env.loki.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(env.loki.multiTenant && { 'x-scope-orgid': 'fake' }) },
    body: JSON.stringify({
      streams: [
        {
          stream: { cluster: 'client-a-staging', namespace: 'platform-system', pod: 'agent-0', container: 'agent', tenant: 'client-a' },
          values: [[String(BigInt(Date.now() - 120_000) * 1_000_000n), 'platform agent heartbeat PLATFORM-ONLY']],
        },
        // A line outside ASCII, as real logs have: the BFF answers it in ASCII escapes.
        {
          stream: {
            cluster: 'client-a-staging',
            namespace: 'platform-system',
            pod: 'agent-0',
            container: 'unicode-line',
            tenant: 'client-a',
          },
          values: [[String(BigInt(Date.now() - 110_000) * 1_000_000n), UNICODE_LINE]],
        },
      ],
    }),
  });
  expect(push.status).toBe(204);
  bff = await startRealModeBff({ overrides: { loki: { url: proxyUrl } } });
  bffOrgs = await startRealModeBff({
    overrides: { loki: { url: proxyUrl, tenantOrgIds: { 'client-a': 'org-a', 'client-b': 'org-b', 'client-c': 'org-c' } } },
  });
  bffDown = await startRealModeBff({ overrides: { loki: { url: 'http://127.0.0.1:9' } } });
});
afterAll(async () => {
  await bff?.close();
  await bffOrgs?.close();
  await bffDown?.close();
  await new Promise((resolve) => proxy?.close(resolve));
});

const since = () => String(Math.floor(Date.now() / 1000) - 6 * 3600);

async function get(server: RunningServer, path: string, params: Record<string, string | string[]>, who: Principal, headers = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) qs.append(k, x);
  return fetch(`${server.url}${path}?${qs.toString()}`, { headers: { cookie: await forgeSessionCookie(who), ...headers } });
}

async function logs(who: Principal, query: string, extra: Record<string, string> = {}, server = bff) {
  const res = await get(server, lokiApiPaths.queryRange, { query, start: since(), limit: '5000', ...extra }, who);
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as { status: string; data: LokiQueryData };
  expect(body.status).toBe('success');
  return body.data;
}
const streams = (d: LokiQueryData) => (d.resultType === 'streams' ? d.result : []);
const clustersOf = (d: LokiQueryData) => new Set(streams(d).map((s) => s.stream.cluster));

describe('the Loki routes', () => {
  it("show a Platform Admin every tenant's lines, newest first, and a client-a Tenant Admin only client-a's", async () => {
    const admin = await logs(ADMIN, '{container="web"}');
    expect(admin.resultType).toBe('streams');
    for (const c of [...CLIENT_A, ...OTHERS]) expect(clustersOf(admin), c).toContain(c);
    const times = streams(admin)
      .flatMap((s) => s.values.map((v) => BigInt(v[0])))
      .sort((a, b) => (a < b ? 1 : -1));
    expect(BigInt(streams(admin)[0]!.values[0]![0])).toBe(times[0]);

    const tenant = await logs(A_ADMIN, '{container="web"}');
    for (const c of CLIENT_A) expect(clustersOf(tenant), c).toContain(c);
    const text = JSON.stringify(tenant);
    for (const c of OTHERS) expect(text).not.toContain(c);
    expect(text).not.toContain('client-b');
  });

  it('respects limit and direction across merged per-group queries', async () => {
    const back = streams(await logs(ADMIN, '{container="web"}', { limit: '7' }));
    const forward = streams(await logs(ADMIN, '{container="web"}', { limit: '7', direction: 'forward' }));
    const flat = (s: LokiStream[]) => s.flatMap((x) => x.values.map((v) => BigInt(v[0])));
    expect(flat(back)).toHaveLength(7);
    expect(flat(forward)).toHaveLength(7);
    expect(flat(forward)[0]! < flat(back)[0]!).toBe(true);
  });

  it('limit a client-a Developer to their namespaces on dev and staging clusters (several groups, merged)', async () => {
    const dev = await logs(A_DEV, '{cluster=~".+"}');
    expect([...clustersOf(dev)]).toEqual(['client-a-staging']);
    expect(new Set(streams(dev).map((s) => s.stream.namespace))).toEqual(new Set(['client-a-apps']));
    expect(JSON.stringify(dev)).not.toContain('PLATFORM-ONLY');
    // The Tenant Admin reads the whole cluster, the platform namespace included.
    expect(JSON.stringify(await logs(A_ADMIN, '{cluster="client-a-staging"}'))).toContain('PLATFORM-ONLY');
  });

  it('answer nothing for a query naming a foreign cluster', async () => {
    expect(streams(await logs(A_ADMIN, '{cluster="prod-eu-west"}'))).toEqual([]);
    expect([...clustersOf(await logs(A_ADMIN, '{cluster=~"prod-eu-west|prod-us-east"}'))]).toEqual(['prod-us-east']);
    const metric = await logs(A_ADMIN, 'sum by (cluster) (count_over_time({cluster=~"prod-.*"}[10m]))', { step: '300' });
    expect(metric.resultType).toBe('matrix');
    const names = new Set(metric.resultType === 'matrix' ? metric.result.map((s) => s.metric.cluster) : []);
    expect(names).toEqual(new Set(['prod-us-east', 'prod-us-west']));
  });

  it('ignore a client-sent X-Scope-OrgID: Loki receives only what the BFF sets', async () => {
    orgHeaders.length = 0;
    const q = { query: '{container="web"}', start: since(), limit: '50' };
    const plain = await (await get(bff, lokiApiPaths.queryRange, q, A_ADMIN)).json();
    const forged = await (await get(bff, lokiApiPaths.queryRange, q, A_ADMIN, { 'X-Scope-OrgID': 'client-b|client-c' })).json();
    expect(forged).toEqual(plain);
    expect(orgHeaders).toEqual([undefined, undefined]);

    // Multi-tenant configuration: the header names the person's tenants, whatever they send.
    orgHeaders.length = 0;
    expect((await get(bffOrgs, lokiApiPaths.queryRange, q, A_ADMIN, { 'X-Scope-OrgID': 'org-b' })).status).toBe(200);
    expect(orgHeaders).toEqual(['org-a']);
    orgHeaders.length = 0;
    expect((await get(bffOrgs, lokiApiPaths.labels, { query: '{container="web"}', start: since() }, ADMIN)).status).toBe(200);
    expect(orgHeaders).toEqual(['org-a|org-b|org-c']);
  });

  it('filter labels, label values and series by scope, and require a selector', async () => {
    const values = async (who: Principal, name: string) => {
      const res = await get(bff, lokiApiPaths.labelValues.replace(':name', name), { query: '{container=~".+"}', start: since() }, who);
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: string[] }).data;
    };
    expect(await values(ADMIN, 'cluster')).toEqual(expect.arrayContaining([...CLIENT_A, ...OTHERS]));
    const aClusters = await values(A_ADMIN, 'cluster');
    expect(aClusters).toEqual(expect.arrayContaining(CLIENT_A));
    for (const c of OTHERS) expect(aClusters).not.toContain(c);
    expect(await values(A_ADMIN, 'tenant')).toEqual(['client-a']);
    expect(await values(A_DEV, 'namespace')).toEqual(['client-a-apps']);
    expect(await values(A_DEV, 'cluster')).toEqual(['client-a-staging']);

    const labels = await get(bff, lokiApiPaths.labels, { query: '{container="web"}', start: since() }, A_DEV);
    expect(((await labels.json()) as { data: string[] }).data).toEqual(['cluster', 'container', 'namespace', 'pod', 'tenant']);

    const series = await get(
      bff,
      lokiApiPaths.series,
      { 'match[]': ['{container="web"}', '{container="agent"}'], start: since() },
      A_ADMIN,
    );
    const sets = ((await series.json()) as { data: Record<string, string>[] }).data;
    expect(sets.length).toBeGreaterThan(CLIENT_A.length);
    expect(sets.every((s) => s.tenant === 'client-a')).toBe(true);

    expect((await get(bff, lokiApiPaths.labels, { start: since() }, A_ADMIN)).status).toBe(400);
    expect((await get(bff, lokiApiPaths.series, { start: since() }, A_ADMIN)).status).toBe(400);
  });

  it('answer bad LogQL with 400 and the position', async () => {
    const res = await get(bff, lokiApiPaths.queryRange, { query: '{cluster="a"} |= ', start: since() }, A_ADMIN);
    expect(res.status).toBe(400);
    const problem = Problem.parse(await res.json());
    expect(problem.errors?.[0]?.position).toEqual(expect.any(Number));
    expect(problem.detail).toMatch(/position/);
    const instantLog = await get(bff, lokiApiPaths.query, { query: '{cluster="a"}' }, A_ADMIN);
    expect(instantLog.status).toBe(400);
  });

  it('answer a metric instant query within scope', async () => {
    const res = await get(bff, lokiApiPaths.query, { query: 'sum by (cluster) (count_over_time({container="web"}[2h]))' }, A_ADMIN);
    expect(res.status).toBe(200);
    const data = ((await res.json()) as { data: LokiQueryData }).data;
    expect(data.resultType).toBe('vector');
    const names = data.resultType === 'vector' ? data.result.map((s) => s.metric.cluster) : [];
    expect(names).toEqual(expect.arrayContaining(CLIENT_A));
    for (const c of OTHERS) expect(names).not.toContain(c);
  });

  it('answer in ASCII bytes: a log line outside ASCII arrives escaped and reads back the same', async () => {
    const res = await get(bff, lokiApiPaths.queryRange, { query: '{container="unicode-line"}', start: since(), limit: '10' }, ADMIN);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.findIndex((b) => b >= 0x80)).toBe(-1);
    const body = JSON.parse(new TextDecoder().decode(bytes)) as { data: LokiQueryData };
    expect(streams(body.data).flatMap((s) => s.values.map(([, line]) => line))).toEqual([UNICODE_LINE]);
  });

  it('answer 502 problem JSON without addresses when Loki is down, 503 when none is configured, 404 for other Loki paths', async () => {
    const res = await get(bffDown, lokiApiPaths.queryRange, { query: '{container="web"}' }, A_ADMIN);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = await res.text();
    expect(Problem.parse(JSON.parse(body)).detail).toMatch(/Loki is unreachable/);
    expect(body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9\b/);

    const none = await startRealModeBff();
    try {
      const r = await get(none, lokiApiPaths.labels, { query: '{a="b"}' }, A_ADMIN);
      expect(r.status).toBe(503);
      expect(Problem.parse(await r.json()).detail).toMatch(/no Loki configured/);
    } finally {
      await none.close();
    }
    for (const path of ['index/volume', 'index/stats', 'patterns', 'detected_labels', 'detected_fields', 'tail', 'push', 'query_range/x']) {
      const r = await get(bff, `/api/loki/api/v1/${path}`, { query: '{container="web"}' }, ADMIN);
      expect(r.status, path).toBe(404);
    }
  });
});

describe("the query_range answer kept as Loki's bytes (one access group)", () => {
  // Answers as Loki sent them, but with another tenant's stream added: what a mistake in
  // enforcement, or a pipeline relabelling streams, would bring back.
  let tamper: Server;
  let bffTamper: RunningServer;
  const injected: string[] = [];
  const app = `splice-${process.pid}-${Date.now().toString(36)}`;
  const t0 = BigInt(Date.now() - 60_000) * 1_000_000n;
  // Lines that a re-serialisation and a careless scanner would get wrong: quotes and the
  // entry separator inside a line, escapes, control characters, non-ASCII, JSON.
  const lines = [
    'he said "],["1700000000000000000","x"]',
    'tab\there \u001b[31mred\u001b[0m',
    'é ✓ 日本 \\ \\\\ /',
    '{"level":"info","msg":"json"}',
  ];

  beforeAll(async () => {
    const push = await fetch(`${env.loki.url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(env.loki.multiTenant && { 'x-scope-orgid': 'fake' }) },
      body: JSON.stringify({
        streams: [
          {
            stream: { app, cluster: 'client-a-staging', namespace: 'client-a-apps', pod: 'p', container: 'c' },
            values: lines.map((l, i) => [String(t0 + BigInt(i)), l]),
          },
        ],
      }),
    });
    expect(push.status).toBe(204);
    tamper = createServer((req, res) => {
      fetch(env.loki.url + (req.url ?? '/'), { headers: env.loki.multiTenant ? { 'x-scope-orgid': 'fake' } : {} })
        .then(async (up) => {
          let text = await up.text();
          if (up.ok && req.url!.startsWith('/loki/api/v1/query_range')) {
            const body = JSON.parse(text) as { data: { resultType: string; result: LokiStream[] } };
            if (body.data.resultType === 'streams' && body.data.result.length > 0) {
              const [first] = body.data.result;
              body.data.result.push({
                stream: { ...first!.stream, cluster: 'client-b-staging', namespace: 'client-b-apps' },
                values: [[first!.values[0]![0], 'INJECTED-B']],
              });
              body.data.result.push({
                stream: { ...first!.stream, namespace: 'platform-system' },
                values: [[first!.values[0]![0], 'INJECTED-NS']],
              });
              text = JSON.stringify(body);
              injected.push(text);
            }
          }
          res.writeHead(up.status, { 'content-type': 'application/json' }).end(text);
        })
        .catch(() => res.writeHead(502).end());
    });
    await new Promise<void>((resolve) => tamper.listen(0, '127.0.0.1', resolve));
    bffTamper = await startRealModeBff({ overrides: { loki: { url: `http://127.0.0.1:${(tamper.address() as AddressInfo).port}` } } });
  });
  afterAll(async () => {
    await bffTamper?.close();
    await new Promise((resolve) => tamper?.close(resolve));
  });

  it('passes every line on exactly as pushed, in both directions', async () => {
    for (const direction of ['backward', 'forward'] as const) {
      const got = streams(await logs(A_DEV, `{app="${app}"}`, { direction }));
      expect(got.map((s) => s.stream)).toEqual([
        { app, cluster: 'client-a-staging', namespace: 'client-a-apps', pod: 'p', container: 'c' },
      ]);
      const want = lines.map((l, i) => [String(t0 + BigInt(i)), l]);
      expect(got[0]!.values).toEqual(direction === 'forward' ? want : want.reverse());
    }
  });

  it("drops a stream of another tenant, or of a namespace outside the person's, that Loki answered", async () => {
    const before = injected.length;
    const dev = await logs(A_DEV, `{app="${app}"}`, {}, bffTamper);
    // Loki's answer carried both intruders…
    expect(injected.length).toBe(before + 1);
    expect(injected.at(-1)).toContain('INJECTED-B');
    expect(injected.at(-1)).toContain('INJECTED-NS');
    // …and the person sees only their own stream, every line of it.
    const text = JSON.stringify(dev);
    expect(text).not.toContain('INJECTED');
    expect(text).not.toContain('client-b');
    expect(streams(dev).flatMap((s) => s.values.map((v) => v[1]))).toEqual([...lines].reverse());
    // The Tenant Admin may read the platform namespace of their cluster, never the other tenant.
    const tenant = JSON.stringify(await logs(A_ADMIN, `{app="${app}"}`, {}, bffTamper));
    expect(tenant).toContain('INJECTED-NS');
    expect(tenant).not.toContain('INJECTED-B');
  });
});

describe('LokiClient against the stand-in (contract)', () => {
  it("accepts Loki's streams (nanosecond string timestamps), matrix and vector envelopes", async () => {
    const loki = new LokiClient({ url: env.loki.url, timeoutMs: 5000 });
    const orgs = env.loki.multiTenant ? ['fake'] : undefined;
    const end = BigInt(Date.now()) * 1_000_000n;
    const start = end - 6n * 3600n * 1_000_000_000n;
    const s = await loki.queryRange({ query: '{cluster="prod-us-east"}', start, end, limit: 5, direction: 'backward' }, orgs);
    expect(s.resultType).toBe('streams');
    const first = s.resultType === 'streams' ? s.result[0]!.values[0]! : ['', ''];
    expect(first[0]).toMatch(/^\d{19}$/);
    const m = await loki.queryRange(
      { query: 'count_over_time({cluster="prod-us-east"}[10m])', start, end, limit: 5, direction: 'backward', step: '600' },
      orgs,
    );
    expect(m.resultType).toBe('matrix');
    expect(m.resultType === 'matrix' && m.result.length > 0 && typeof m.result[0]!.values[0]![0]).toBe('number');
    const v = await loki.query(
      { query: 'count_over_time({cluster="prod-us-east"}[2h])', time: end, limit: 5, direction: 'backward' },
      orgs,
    );
    expect(v.resultType).toBe('vector');
    expect(await loki.labelValues('cluster', '{cluster="prod-us-east"}', { start, end }, orgs)).toEqual(['prod-us-east']);
  });
});
