import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { CSRF_HEADER, FleetTree, Problem, apiPaths, apiUrl, promApiPaths, type Principal } from '@fleetdeck/shared';

import type { RunningServer } from '../../src/server.ts';
import { startDemoBff, startTestbedBff } from '../helpers/demo-client.ts';
import { TEST_SESSION_SECRET, forgeSessionCookie } from '../helpers/forge-session.ts';
import { PROMQL_CORPUS } from '../unit/promql-corpus.ts';

/**
 * The Prometheus-compatible API on the testbed's real Prometheus (24 h of series labelled
 * `cluster`, every fleet cluster): each person sees exactly their clusters (and namespaces),
 * whatever they ask.
 */
const env = inject('testbed');
let bff: RunningServer;

const ADMIN: Principal = { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] };
const TENANT_ADMIN: Principal = { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] };
const DEVELOPER: Principal = { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] };
const FOREIGN = 'prod-eu-west';

beforeAll(async () => {
  bff = await startTestbedBff(env, {
    prometheus: { url: env.prometheus.url },
  });
});
afterAll(async () => {
  await bff?.close();
});

const cookies = new Map<string, string>();
async function cookieOf(who: Principal): Promise<string> {
  let cookie = cookies.get(who.user);
  if (!cookie) cookies.set(who.user, (cookie = await forgeSessionCookie(who)));
  return cookie;
}

async function get(who: Principal, path: string, query: Record<string, string | string[]> = {}): Promise<Response> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of [v].flat()) search.append(k, one);
  return fetch(`${bff.url}${path}?${search.toString()}`, { headers: { cookie: await cookieOf(who) } });
}

async function post(who: Principal, path: string, form: Record<string, string | string[]>, urlQuery = ''): Promise<Response> {
  const cookie = await cookieOf(who);
  const me = (await (await fetch(bff.url + apiPaths.me, { headers: { cookie } })).json()) as { csrfToken: string };
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
  return fetch(`${bff.url}${path}${urlQuery}`, {
    method: 'POST',
    headers: { cookie, origin: 'http://127.0.0.1', [CSRF_HEADER]: me.csrfToken, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

interface PromAnswer<T = unknown> {
  status: string;
  data: T;
}
type Vector = PromAnswer<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>;

async function ok<T>(res: Response): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const body = JSON.parse(text) as PromAnswer;
  expect(body.status).toBe('success');
  return body as T;
}

async function visibleClusters(who: Principal): Promise<string[]> {
  const tree = FleetTree.parse(await (await fetch(bff.url + apiPaths.fleet, { headers: { cookie: await cookieOf(who) } })).json());
  return tree.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters.map((c) => c.name))).sort();
}

const clustersOf = (v: Vector) => [...new Set(v.data.result.map((s) => s.metric.cluster!))].sort();

describe('the Prometheus-compatible API', () => {
  it('answers each person with their clusters only (sum by (cluster) (up))', async () => {
    const all = await visibleClusters(ADMIN);
    const mine = await visibleClusters(TENANT_ADMIN);
    expect(all).toContain(FOREIGN);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine).not.toContain(FOREIGN);

    const admin = await ok<Vector>(await get(ADMIN, promApiPaths.query, { query: 'sum by (cluster) (up)' }));
    // The property is observable: other tenants' clusters are there for the admin.
    expect(clustersOf(admin)).toEqual(all);
    const tenant = await ok<Vector>(await get(TENANT_ADMIN, promApiPaths.query, { query: 'sum by (cluster) (up)' }));
    expect(clustersOf(tenant)).toEqual(mine);
    // `up` has no namespace: a Developer's namespace grant does not cover it.
    const dev = await ok<Vector>(await get(DEVELOPER, promApiPaths.query, { query: 'sum by (cluster) (up)' }));
    expect(dev.data.result).toEqual([]);
  });

  it('limits a namespace-limited person to their namespaces (count by (cluster, namespace))', async () => {
    const q = { query: 'count by (cluster, namespace) (kube_pod_status_phase)' };
    const admin = await ok<Vector>(await get(ADMIN, promApiPaths.query, q));
    const adminNamespaces = new Set(admin.data.result.map((s) => s.metric.namespace));
    expect(adminNamespaces).toContain('client-b-apps');
    expect(clustersOf(admin)).toContain(FOREIGN);

    const mine = await visibleClusters(DEVELOPER);
    const dev = await ok<Vector>(await get(DEVELOPER, promApiPaths.query, q));
    expect(dev.data.result.length).toBeGreaterThan(0);
    expect(clustersOf(dev).every((c) => mine.includes(c))).toBe(true);
    expect(dev.data.result.every((s) => s.metric.namespace!.startsWith('client-a-'))).toBe(true);

    const tenant = await ok<Vector>(await get(TENANT_ADMIN, promApiPaths.query, q));
    expect(clustersOf(tenant)).not.toContain(FOREIGN);
    expect(tenant.data.result.every((s) => s.metric.namespace === 'client-a-apps')).toBe(true);
  });

  it('returns nothing for a query naming another tenant’s cluster', async () => {
    const q = { query: `up{cluster="${FOREIGN}"}` };
    expect((await ok<Vector>(await get(ADMIN, promApiPaths.query, q))).data.result.length).toBeGreaterThan(0);
    expect((await ok<Vector>(await get(TENANT_ADMIN, promApiPaths.query, q))).data.result).toEqual([]);
    const regex = { query: `count by (cluster) ({__name__=~".+", cluster!="nothing"})` };
    const tenant = await ok<Vector>(await get(TENANT_ADMIN, promApiPaths.query, regex));
    expect(clustersOf(tenant)).toEqual(await visibleClusters(TENANT_ADMIN));
  });

  it('runs range queries, and refuses more than 11,000 points per series', async () => {
    const end = Math.floor(Date.now() / 1000);
    const range = await ok<PromAnswer<{ resultType: string; result: { metric: Record<string, string> }[] }>>(
      await get(TENANT_ADMIN, promApiPaths.queryRange, {
        query: 'sum by (cluster) (up)',
        start: String(end - 3600),
        end: String(end),
        step: '60',
      }),
    );
    expect(range.data.resultType).toBe('matrix');
    const clusters = [...new Set(range.data.result.map((s) => s.metric.cluster))].sort();
    expect(clusters).toEqual(await visibleClusters(TENANT_ADMIN));

    const year = await get(TENANT_ADMIN, promApiPaths.queryRange, {
      query: 'up',
      start: new Date((end - 365 * 86400) * 1000).toISOString(),
      end: String(end),
      step: '1s',
    });
    expect(year.status).toBe(400);
    expect(Problem.parse(await year.json()).detail).toMatch(/11,000 points/);
  });

  it('lists only visible clusters as label values, with or without match[]', async () => {
    const all = await ok<PromAnswer<string[]>>(await get(ADMIN, apiUrl(promApiPaths.labelValues, { name: 'cluster' })));
    expect(all.data).toContain(FOREIGN);
    const mine = await ok<PromAnswer<string[]>>(await get(TENANT_ADMIN, apiUrl(promApiPaths.labelValues, { name: 'cluster' })));
    expect([...mine.data].sort()).toEqual(await visibleClusters(TENANT_ADMIN));
    const tenants = await ok<PromAnswer<string[]>>(
      await get(TENANT_ADMIN, apiUrl(promApiPaths.labelValues, { name: 'tenant' }), { 'match[]': 'up' }),
    );
    expect(tenants.data).toEqual(['client-a']);
    const namespaces = await ok<PromAnswer<string[]>>(await get(DEVELOPER, apiUrl(promApiPaths.labelValues, { name: 'namespace' })));
    expect(namespaces.data.length).toBeGreaterThan(0);
    expect(namespaces.data.every((n) => n.startsWith('client-a-'))).toBe(true);
    const labels = await ok<PromAnswer<string[]>>(await get(TENANT_ADMIN, promApiPaths.labels));
    expect(labels.data).toEqual(expect.arrayContaining(['__name__', 'cluster', 'namespace']));
  });

  it('answers series for match[] (one or several) within scope', async () => {
    const one = await ok<PromAnswer<Record<string, string>[]>>(await get(TENANT_ADMIN, promApiPaths.series, { 'match[]': 'up' }));
    expect(one.data.length).toBeGreaterThan(0);
    // By cluster, not by a tenant label: the testbed also scrapes its real kube-apiservers, whose series carry only `cluster`.
    const mine = new Set(await visibleClusters(TENANT_ADMIN));
    expect(one.data.every((s) => mine.has(s.cluster!))).toBe(true);
    const two = await ok<PromAnswer<Record<string, string>[]>>(
      await get(DEVELOPER, promApiPaths.series, {
        'match[]': ['up', `kube_pod_status_phase{cluster="${FOREIGN}"}`, 'kube_pod_status_phase'],
      }),
    );
    expect(two.data.length).toBeGreaterThan(0);
    expect(two.data.every((s) => s.__name__ === 'kube_pod_status_phase' && s.namespace!.startsWith('client-a-'))).toBe(true);
    const admin = await ok<PromAnswer<Record<string, string>[]>>(await get(ADMIN, promApiPaths.series, { 'match[]': 'up' }));
    expect(admin.data.some((s) => s.cluster === FOREIGN)).toBe(true);
  });

  it('refuses bad PromQL with its position, and a match[] that is not a selector', async () => {
    const res = await get(TENANT_ADMIN, promApiPaths.query, { query: 'sum(rate(up[5m])' });
    expect(res.status).toBe(400);
    const problem = Problem.parse(await res.json());
    expect(problem.type).toBe('https://fleetdeck.dev/problems/promql');
    expect(problem.errors?.[0]?.position).toBeTypeOf('number');
    const series = await get(TENANT_ADMIN, promApiPaths.series, { 'match[]': 'sum(up)' });
    expect(series.status).toBe(400);
    expect(Problem.parse(await series.json()).errors?.[0]?.path).toBe('match[].0');
  });

  it('takes a form POST, and refuses a parameter sent both in the URL and the body', async () => {
    const res = await post(TENANT_ADMIN, promApiPaths.query, { query: 'sum by (cluster) (up)' });
    expect(clustersOf(await ok<Vector>(res))).toEqual(await visibleClusters(TENANT_ADMIN));
    const series = await post(TENANT_ADMIN, promApiPaths.series, { 'match[]': ['up', 'kube_pod_status_phase'] });
    const mine = new Set(await visibleClusters(TENANT_ADMIN));
    expect((await ok<PromAnswer<Record<string, string>[]>>(series)).data.every((s) => mine.has(s.cluster!))).toBe(true);
    // Split between URL and body is fine; the same parameter in both is not.
    const end = Math.floor(Date.now() / 1000);
    const split = await post(TENANT_ADMIN, promApiPaths.queryRange, { query: 'up', step: '300' }, `?start=${end - 3600}&end=${end}`);
    await ok(split);
    const twice = await post(TENANT_ADMIN, promApiPaths.query, { query: 'up' }, `?query=${encodeURIComponent(`up{cluster="${FOREIGN}"}`)}`);
    expect(twice.status).toBe(400);
    expect(Problem.parse(await twice.json()).detail).toMatch(/both in the URL and in the body/);
    // GET: a repeated query is refused, not joined or picked.
    const repeated = await get(TENANT_ADMIN, promApiPaths.query, { query: ['up', `up{cluster="${FOREIGN}"}`] });
    expect(repeated.status).toBe(400);
  });

  it('answers 404 for every other /api/prom path', async () => {
    for (const path of [
      '/api/prom/api/v1/admin/tsdb/delete_series',
      '/api/prom/federate',
      '/api/prom/api/v1/metadata',
      '/api/prom/api/v1/targets',
    ]) {
      expect((await get(ADMIN, path)).status, path).toBe(404);
    }
  });
});

describe('the Prometheus-compatible API without a Prometheus', () => {
  it('answers 503 in demo mode', async () => {
    const demo = await startDemoBff({ session: { secret: TEST_SESSION_SECRET } });
    try {
      const res = await fetch(`${demo.url}${promApiPaths.query}?query=up`, {
        headers: { cookie: await forgeSessionCookie({ user: 'platform-admin@demo', groups: ['fleet-platform-admins'] }) },
      });
      expect(res.status).toBe(503);
      expect(Problem.parse(await res.json()).detail).toBe('no Prometheus configured');
    } finally {
      await demo.close();
    }
  });
});

describe('the Prometheus-compatible API on an upstream that misbehaves', () => {
  // A stand-in that answers whatever the test says, and records what reached it.
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const seen: URLSearchParams[] = [];
  let upstream: Server;
  let thanos: RunningServer;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const params = new URLSearchParams(req.url!.split('?')[1] ?? '');
        for (const [k, v] of new URLSearchParams(raw)) params.append(k, v);
        seen.push(params);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    thanos = await startTestbedBff(env, {
      prometheus: { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, thanos: true, timeoutSeconds: 2 },
    });
  });
  afterAll(async () => {
    await thanos?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const ask = async (who: Principal, path: string, query: Record<string, string>) =>
    fetch(`${thanos.url}${path}?${new URLSearchParams(query).toString()}`, { headers: { cookie: await cookieOf(who) } });

  it('drops series and label values of other tenants even when the upstream returns them', async () => {
    const mine = await visibleClusters(TENANT_ADMIN);
    answer = {
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { cluster: mine[0] }, value: [1, '1'] },
            { metric: { cluster: FOREIGN }, value: [1, '2'] },
            { metric: {}, value: [1, '3'] },
          ],
        },
        warnings: ['partial response: store 10.0.0.7:10901 is down'],
      },
    };
    const res = await ask(TENANT_ADMIN, promApiPaths.query, { query: 'up' });
    const body = (await res.json()) as { data: { result: { metric: Record<string, string> }[] }; warnings: string[] };
    expect(body.data.result.map((s) => s.metric.cluster)).toEqual([mine[0], undefined]);
    expect(body.warnings).toEqual(['some of the data could not be read; the answer may be incomplete']);
    // What reached the upstream: the enforced query, and Thanos' parameters (configured as Thanos).
    const sent = seen.at(-1)!;
    expect(sent.get('query')).toMatch(/^up\{cluster=~"/);
    expect(sent.get('dedup')).toBe('true');
    expect(sent.get('partial_response')).toBe('true');

    answer = { status: 200, body: { status: 'success', data: [...mine, FOREIGN] } };
    const values = (await (await ask(TENANT_ADMIN, apiUrl(promApiPaths.labelValues, { name: 'cluster' }), {})).json()) as {
      data: string[];
    };
    expect(values.data).toEqual(mine);
    // No match[] from the caller: one per group was sent.
    expect(seen.at(-1)!.getAll('match[]')).toHaveLength(1);
  });

  it("passes Prometheus' own error about the query, and nothing that names an address", async () => {
    answer = { status: 400, body: { status: 'error', errorType: 'bad_data', error: '1:8: parse error: unexpected <by>' } };
    const bad = await ask(TENANT_ADMIN, promApiPaths.query, { query: 'up' });
    expect(bad.status).toBe(400);
    expect(Problem.parse(await bad.json()).detail).toMatch(/parse error: unexpected <by>/);

    answer = {
      status: 422,
      body: { status: 'error', errorType: 'execution', error: 'rpc error: dial tcp 10.0.0.7:10901: connection refused' },
    };
    const hidden = await ask(TENANT_ADMIN, promApiPaths.query, { query: 'up' });
    expect(hidden.status).toBe(400);
    expect(JSON.stringify(await hidden.json())).not.toMatch(/10\.0\.0\.7|rpc|dial/);

    answer = { status: 503, body: { status: 'error', errorType: 'unavailable', error: 'store 10.0.0.7:10901 down' } };
    const down = await ask(TENANT_ADMIN, promApiPaths.query, { query: 'up' });
    expect(down.status).toBe(502);
    expect(JSON.stringify(await down.json())).not.toMatch(/10\.0\.0\.7/);
  });
});

/** prom-label-proxy v0.11.1, as testbed/go/build.sh builds it (undefined if the build failed: the test then fails loudly). */
function promLabelProxyBinary(): string | undefined {
  const cache = process.env.FLEETDECK_TESTBIN_DIR
    ? [process.env.FLEETDECK_TESTBIN_DIR]
    : (() => {
        const root = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'fleetdeck', 'testbin');
        return existsSync(root) ? readdirSync(root).map((d) => join(root, d)) : [];
      })();
  for (const dir of cache) {
    const bin = existsSync(dir) ? readdirSync(dir).find((f) => f === 'prom-label-proxy-v0.11.1') : undefined;
    if (bin) return join(dir, bin);
  }
  return undefined;
}

const PLP = promLabelProxyBinary();

/**
 * The reference: prom-label-proxy with `-label cluster` and the Tenant Admin's clusters as
 * its values. For every query of the enforcer's corpus, at one instant, our answer must be
 * the proxy's or a part of it (a refusal counts as nothing), never more.
 */
describe('the Prometheus-compatible API against prom-label-proxy (differential)', () => {
  let proxy: ChildProcess;
  let proxyUrl: string;

  beforeAll(async () => {
    // Never skipped: without the reference this test fails and says why.
    if (!PLP) {
      throw new Error(
        'prom-label-proxy v0.11.1 is not in the testbin cache (~/.cache/fleetdeck/testbin/<version>/): testbed/go/build.sh builds it from the Go module proxy; its warning says why it could not',
      );
    }
    const port = await new Promise<number>((resolve) => {
      const probe = createNetServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const mine = await visibleClusters(TENANT_ADMIN);
    proxy = spawn(
      PLP,
      [
        '-label',
        'cluster',
        ...mine.flatMap((c) => ['-label-value', c]),
        '-enable-label-apis',
        '-upstream',
        env.prometheus.url,
        '-insecure-listen-address',
        `127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    proxyUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${proxyUrl}/api/v1/query?query=up`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('prom-label-proxy did not start');
  }, 30_000);
  afterAll(() => {
    proxy?.kill();
  });

  type Answer = { ok: false } | { ok: true; resultType: string; items: string[] };
  const key = (metric: Record<string, string>) => JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : 1)));
  const itemsOf = (data: { resultType: string; result: unknown }): string[] =>
    data.resultType === 'vector' || data.resultType === 'matrix'
      ? (data.result as { metric: Record<string, string>; value?: unknown; values?: unknown }[]).map(
          (s) => `${key(s.metric)} ${JSON.stringify(s.value ?? s.values)}`,
        )
      : [JSON.stringify(data.result)];
  const read = async (res: Response): Promise<Answer> => {
    if (res.status !== 200) return { ok: false };
    const body = (await res.json()) as { data: { resultType: string; result: unknown } };
    return { ok: true, resultType: body.data.resultType, items: itemsOf(body.data) };
  };

  it('answers every corpus query with what prom-label-proxy answers, or less', async ({ annotate }) => {
    const mine = await visibleClusters(TENANT_ADMIN);
    const time = String(Math.floor(Date.now() / 1000) - 600);
    const cookie = await cookieOf(TENANT_ADMIN);
    const me = (await (await fetch(bff.url + apiPaths.me, { headers: { cookie } })).json()) as { csrfToken: string };
    const counts = { equal: 0, equalNonEmpty: 0, narrower: 0, refusedByUs: 0, refusedByBoth: 0, proxyRefusedOnly: 0 };
    const notRun: string[] = [];
    const wider: string[] = [];
    for (const query of PROMQL_CORPUS) {
      const form = new URLSearchParams({ query, time });
      const ours = await read(
        await fetch(bff.url + promApiPaths.query, {
          method: 'POST',
          headers: { cookie, origin: 'http://127.0.0.1', [CSRF_HEADER]: me.csrfToken, 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        }),
      );
      const theirs = await read(await fetch(`${proxyUrl}/api/v1/query`, { method: 'POST', body: form }));
      if (!ours.ok) {
        counts[theirs.ok ? 'refusedByUs' : 'refusedByBoth']++;
        if (theirs.ok) notRun.push(query.slice(0, 80));
        continue;
      }
      if (!theirs.ok) {
        // Nothing to compare with: ours must still name only the person's clusters.
        counts.proxyRefusedOnly++;
        for (const item of ours.items) {
          const cluster = /\["cluster","([^"]*)"\]/.exec(item)?.[1];
          if (cluster !== undefined && !mine.includes(cluster)) wider.push(`${query} → ${item}`);
        }
        continue;
      }
      const reference = new Set(theirs.items);
      const extra = ours.items.filter((i) => !reference.has(i));
      // topk/bottomk/limitk break ties by series order, which differs between two rewrites:
      // the same number of picks, every one of the person's clusters, is the same answer.
      const picks = /\b(topk|bottomk|limitk|limit_ratio)\b/.test(query) && ours.items.length === theirs.items.length;
      if (extra.length > 0 && !picks) wider.push(`${query} → ${extra.slice(0, 2).join(' | ')}`);
      else if (ours.items.length === theirs.items.length) {
        counts.equal++;
        if (ours.items.length > 0) counts.equalNonEmpty++;
      } else {
        counts.narrower++;
        notRun.push(`narrower: ${query.slice(0, 80)}`);
      }
    }
    expect(wider, 'answers wider than prom-label-proxy').toEqual([]);
    // The comparison is not vacuous: most of the corpus ran on both sides.
    expect(counts.equal).toBeGreaterThan(PROMQL_CORPUS.length / 2);
    expect(counts.equalNonEmpty).toBeGreaterThan(20);
    await annotate(
      `prom-label-proxy differential over ${PROMQL_CORPUS.length} queries: ${JSON.stringify(counts)}; ours refused or narrower: ${JSON.stringify(notRun)}`,
    );
  }, 120_000);
});
