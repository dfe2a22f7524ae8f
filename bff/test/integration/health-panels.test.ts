import { readFileSync } from 'node:fs';
import { request } from 'node:https';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { FleetHealthPanels, FleetTree, apiPaths, healthApiPaths, type Principal } from '@fleetdeck/shared';

import { Config } from '../../src/config/schema.ts';
import { fleetHealthPanelsRoute } from '../../src/routes/health.ts';
import { allRoutes } from '../../src/routes/index.ts';
import type { RunningServer } from '../../src/server.ts';
import { PrometheusHealthSource } from '../../src/sources/health/health-source.ts';
import { QueryCache } from '../../src/sources/health/query-cache.ts';
import { fleetPanelSet } from '../../src/sources/health/fleet-panels.ts';
import { promAccess, type PromAccess } from '../../src/access/promql/index.ts';
import { HealthConfig } from '../../src/sources/health/panel-config.ts';
import { healthPanelDefs } from '../../src/sources/health/panel-defs.ts';
import { fleetBandRecords, recordedNames, recordedQueries } from '../../src/sources/health/recording-rules.ts';
import { resolveWindow } from '../../src/sources/health/window.ts';
import { PrometheusClient, type MetadataOptions } from '../../src/sources/prometheus/prometheus-client.ts';
import { startDemoBff } from '../helpers/demo-client.ts';
import { re2Regexp } from '../helpers/re2-regexp.ts';
import { TEST_SESSION_SECRET, forgeSessionCookie } from '../helpers/forge-session.ts';

/**
 * The fleet panel set on the testbed: its real Prometheus (24 h of seeded series for every fleet
 * cluster, and live series scraped from the testbed's own kube-apiservers), each person's panels
 * run through the PromQL enforcer.
 */
const env = inject('testbed');
let bff: RunningServer;
let down: RunningServer;
let recorded: RunningServer;

const ADMIN: Principal = { user: 'platform-admin@demo', groups: ['fleet-platform-admins'] };
const TENANT_ADMIN: Principal = { user: 'client-a-admin@demo', groups: ['tenant-client-a-admins'] };
const DEVELOPER: Principal = { user: 'client-a-dev@demo', groups: ['tenant-client-a-developers'] };
const FOREIGN = 'prod-eu-west';
/** A spoke of the testbed (a real kube-apiserver) in a staging environment: no seeded burst of failed sign-ins. */
const SPOKE = 'client-a-staging';

function bffConfig(prometheusUrl: string, recordingRules = false) {
  return {
    health: { recordingRules },
    mode: 'real' as const,
    session: { secret: TEST_SESSION_SECRET },
    auth: {
      oidc: {
        issuerUrl: env.oidc.issuer,
        clientId: env.oidc.clientId,
        redirectUrl: 'http://127.0.0.1/api/auth/callback',
        allowInsecureHttp: true,
      },
    },
    inventory: { sources: ['kubefleet' as const], hubKubeconfig: env.hub.bffKubeconfig },
    // A shared, busy machine: room for a cold first query. The down Prometheus fails at once (refused).
    prometheus: { url: prometheusUrl, timeoutSeconds: 20 },
  };
}

/** The fleet panels route, registered for the test until the route table lists it. */
function extraRoutes(prometheusUrl: string) {
  const registered = allRoutes(Config.parse(bffConfig(prometheusUrl))).some((r) => r.path === healthApiPaths.fleetHealthPanels);
  return registered ? [] : [fleetHealthPanelsRoute];
}

beforeAll(async () => {
  bff = await startDemoBff(bffConfig(env.prometheus.url), { extraRoutes: extraRoutes(env.prometheus.url) });
  down = await startDemoBff(bffConfig('http://127.0.0.1:9'), { extraRoutes: extraRoutes('http://127.0.0.1:9') });
  recorded = await startDemoBff(bffConfig(env.prometheus.url, true), { extraRoutes: extraRoutes(env.prometheus.url) });
});
afterAll(async () => {
  await Promise.all([bff?.close(), down?.close(), recorded?.close()]);
});

async function panels(server: RunningServer, who: Principal, query: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}${healthApiPaths.fleetHealthPanels}?${new URLSearchParams(query).toString()}`, {
    headers: { cookie: await forgeSessionCookie(who) },
  });
}

async function panelSet(
  who: Principal,
  query: Record<string, string> = { range: '24h' },
  server: RunningServer = bff,
): Promise<Map<string, FleetHealthPanels['panels'][number]>> {
  const res = await panels(server, who, query);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return new Map(FleetHealthPanels.parse(JSON.parse(text)).panels.map((p) => [p.def.id, p]));
}

async function visible(who: Principal): Promise<string[]> {
  const tree = FleetTree.parse(
    await (await fetch(bff.url + apiPaths.fleet, { headers: { cookie: await forgeSessionCookie(who) } })).json(),
  );
  return tree.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters.map((c) => c.name))).sort();
}

/** Straight to Prometheus (no BFF): what is really stored. */
async function promInstant(query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${env.prometheus.url}/api/v1/query?${new URLSearchParams({ query }).toString()}`);
  const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result;
}

const tableClusters = (p: FleetHealthPanels['panels'][number] | undefined) => p!.table.map((r) => r.cluster).sort();

/** A client of the testbed's Prometheus that writes down what Prometheus receives, where it is sent. */
function recordingClient(sent: string[]): PrometheusClient {
  class Recording extends PrometheusClient {
    override rangeRaw(query: string, start: number, end: number, step: number) {
      sent.push(query);
      return super.rangeRaw(query, start, end, step);
    }
    override instantRaw(query: string, options: { time?: number } = {}) {
      sent.push(query);
      return super.instantRaw(query, options);
    }
    override labelValuesRaw(name: string, matchers: readonly string[], options: MetadataOptions = {}) {
      sent.push(`label values ${name} of ${matchers.join(', ')}`);
      return super.labelValuesRaw(name, matchers, options);
    }
  }
  return new Recording({ url: env.prometheus.url, thanos: false, timeoutMs: 20_000 });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

describe('the fleet panel set on the testbed', () => {
  it('gives the Platform Admin every cluster, another tenant’s included, in all nine panels', async () => {
    const all = await visible(ADMIN);
    expect(all).toContain(FOREIGN);
    const set = await panelSet(ADMIN);
    expect([...set.keys()]).toHaveLength(9);
    for (const id of ['apiAvailability', 'nodesReady', 'podHealthRatio', 'gitopsSync', 'violations', 'cpu', 'memory']) {
      const p = set.get(id)!;
      expect(p.errors, id).toEqual([]);
      expect(tableClusters(p), id).toEqual(all);
      expect(p.band.length, id).toBeGreaterThan(100);
      expect(p.worst.length, id).toBe(5);
      for (const b of p.band) expect(b.n, id).toBeLessThanOrEqual(all.length);
    }
    // The stale cluster of the seeded history (no successful sync for 8 h) leads "since last sync".
    expect(set.get('lastSync')!.worst[0]!.points.at(-1)![1]).toBeGreaterThan(6 * 3600);
  }, 60_000);

  it('gives a Tenant Admin their clusters only: the other tenant’s cluster Prometheus holds is absent', async () => {
    const mine = await visible(TENANT_ADMIN);
    expect(mine).not.toContain(FOREIGN);
    // Prometheus itself has the foreign cluster's series: its absence is the enforcement's doing.
    expect((await promInstant('sum by (cluster) (gatekeeper_violations)')).map((s) => s.metric.cluster)).toContain(FOREIGN);
    const set = await panelSet(TENANT_ADMIN);
    for (const p of set.values()) {
      for (const c of [...tableClusters(p), ...p.worst.map((w) => w.cluster)]) expect(mine, p.def.id).toContain(c);
    }
    for (const id of ['podHealthRatio', 'violations', 'cpu']) expect(tableClusters(set.get(id)), id).toEqual(mine);
  });

  it('gives a Developer only their namespaces’ series, and says why cluster-wide figures are missing', async () => {
    const dev = await panelSet(DEVELOPER);
    const tenant = await panelSet(TENANT_ADMIN);
    const devClusters = tableClusters(dev.get('podHealthRatio'));
    expect(devClusters.length).toBeGreaterThan(0);
    // client-a-* namespaces on dev and staging only: client-a's production clusters are not among them.
    expect(devClusters.length).toBeLessThan(tableClusters(tenant.get('podHealthRatio')).length);
    expect(devClusters.every((c) => /dev|staging/.test(c))).toBe(true);
    expect(tableClusters(dev.get('cpu'))).toEqual(devClusters);
    for (const id of ['nodesReady', 'gitopsSync', 'lastSync', 'violations', 'failedAuth']) {
      expect(dev.get(id)!.table, id).toEqual([]);
      expect(dev.get(id)!.errors, id).toEqual([{ source: 'access', reason: 'cluster-wide figures need a wider role' }]);
    }
  });

  it('runs the API-server panels on series scraped from the testbed’s real kube-apiservers', async () => {
    const spoke = env.spokes.find((s) => s.name === SPOKE)!;
    const instance = new URL(spoke.url).host;
    // The real server is scraped as its cluster (not the seeded `<name>-apiserver:6443` target).
    await until('the first scrape of the spoke', async () =>
      (await promInstant(`up{job="kubernetes-apiservers",cluster="${SPOKE}",instance="${instance}"}`))[0]?.value[1] === '1'
        ? true
        : undefined,
    );
    const failures = async () =>
      Number(
        (await promInstant(`sum(authentication_attempts{cluster="${SPOKE}",instance="${instance}",result!="success"})`))[0]?.value[1] ?? 0,
      );
    const ca = readFileSync(spoke.caFile);
    const rejected = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${spoke.url}/api`, { ca, headers: { authorization: 'Bearer not-a-token' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    // A counter series is born at its first failure, and rate() sees only increases after that:
    // one failure first, scraped, then the twenty the panel must show.
    expect(await rejected()).toBe(401);
    await until('the first failure to be scraped', async () => ((await failures()) >= 1 ? true : undefined));
    const before = await failures();
    for (let i = 0; i < 20; i++) expect(await rejected()).toBe(401);
    await until('the failures to be scraped', async () => ((await failures()) >= before + 20 ? true : undefined));
    const rate = await until('the failed-authentication panel to show them', async () => {
      const p = (await panelSet(ADMIN, { range: '15m', panels: 'failedAuth,apiAvailability' })).get('failedAuth')!;
      const row = p.table.find((r) => r.cluster === SPOKE);
      return row && row.value > 0.03 ? row : undefined;
    });
    expect(rate.at).toBeGreaterThan(Date.now() / 1000 - 120);
    const api = (await panelSet(ADMIN, { range: '15m', panels: 'apiAvailability' })).get('apiAvailability')!;
    expect(api.table.find((r) => r.cluster === SPOKE)?.value).toBe(1);
  }, 240_000);

  it('refuses a 1-year range at a 1 s step clearly, and an unknown panel', async () => {
    const res = await panels(bff, ADMIN, { from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', step: '1' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/more than 11,000 points per series/);
    expect((await panels(bff, ADMIN, { panels: 'cpu,nope' })).status).toBe(400);
  });

  it('degrades panels, not the page, when Prometheus is down', async () => {
    const res = await panels(down, ADMIN, { range: '1h' });
    expect(res.status).toBe(200);
    const body = FleetHealthPanels.parse(await res.json());
    expect(body.panels).toHaveLength(9);
    expect(body.clusters).toBeGreaterThan(0);
    for (const p of body.panels) {
      expect(p.table, p.def.id).toEqual([]);
      expect(p.errors, p.def.id).toEqual([{ source: 'prometheus', reason: expect.stringMatching(/unreachable/) as unknown }]);
    }
  });
});

describe('one panel Prometheus refuses', () => {
  it('carries its own error; the other panels still answer', async () => {
    // Many-to-many matching: Prometheus parses it, then fails it at execution (422).
    const broken = {
      id: 'broken',
      title: 'Broken',
      unit: 'count',
      source: 'test',
      query: 'sum by (cluster) (kube_node_status_condition / on (cluster) kube_node_status_condition)',
      worse: 'higher',
    };
    const defs = healthPanelDefs(HealthConfig.parse({ extraPanels: [broken] }));
    const source = new PrometheusHealthSource(new PrometheusClient({ url: env.prometheus.url, thanos: false, timeoutMs: 10_000 }), defs);
    const all = promAccess([{ clusters: [SPOKE, FOREIGN], namespaces: '*' }]);
    const set = await fleetPanelSet(
      (d, a, w) => source.series(d, a, w),
      defs,
      { namespaces: all, wholeCluster: all, anyViewer: all },
      resolveWindow({ range: '24h' }, { now: new Date() }),
      3,
    );
    const byId = new Map(set.map((p) => [p.def.id, p]));
    expect(byId.get('broken')!.errors).toEqual([{ source: 'prometheus', reason: expect.stringMatching(/refused/) as unknown }]);
    expect(byId.get('violations')!.errors).toEqual([]);
    expect(
      byId
        .get('violations')!
        .table.map((r) => r.cluster)
        .sort(),
    ).toEqual([SPOKE, FOREIGN].sort());
  });
});

type Panel = FleetHealthPanels['panels'][number];
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** Prometheus' summary (band, table, worst) equals the one the BFF computes from every cluster's series. */
function expectSameSummary(fast: Panel, slow: Panel): void {
  const id = fast.def.id;
  expect(fast.errors, id).toEqual(slow.errors);
  expect(
    fast.table.map((r) => r.cluster),
    id,
  ).toEqual(slow.table.map((r) => r.cluster));
  fast.table.forEach((r, i) => expect(near(r.value, slow.table[i]!.value), `${id} ${r.cluster}`).toBe(true));
  expect(fast.band.length, id).toBe(slow.band.length);
  fast.band.forEach((b, i) => {
    const s = slow.band[i]!;
    expect([b.t, b.n], id).toEqual([s.t, s.n]);
    for (const f of ['p50', 'p95', 'min', 'max'] as const) expect(near(b[f], s[f]), `${id} ${f} at ${b.t}`).toBe(true);
  });
  const last = (w: Panel['worst']) => w.map((x) => x.points.at(-1)?.[1] ?? NaN);
  expect(
    last(fast.worst).every((v, i) => near(v, last(slow.worst)[i]!)),
    id,
  ).toBe(true);
  expect(
    fast.worst.map((w) => w.points.length),
    id,
  ).toEqual(slow.worst.map((w) => w.points.length));
}

describe('Prometheus summarising the panel set', () => {
  it('gives what the BFF computed from every cluster’s recorded series; namespace-limited people keep the expressions', async () => {
    const config = HealthConfig.parse({});
    // Counts the recorded tables asked as one selector (table-batch.ts), so the comparison below covers that path.
    const client = new (class extends PrometheusClient {
      mergedTables = 0;
      override instantRaw(query: string, options?: { time?: number }) {
        if (query.includes('__name__=~')) this.mergedTables++;
        return super.instantRaw(query, options);
      }
    })({ url: env.prometheus.url, thanos: false, timeoutMs: 20_000 });
    const sources = (['band', 'single', 'perFigure'] as const).map(
      (plan) => new PrometheusHealthSource(client, healthPanelDefs(config), { recorded: recordedQueries(config), plan }),
    );
    const source = sources[0]!;
    const all = await visible(ADMIN);
    const devClusters = all.filter((c) => /^client-a-(dev|staging)/.test(c));
    // A window in the seeded past, on the step grid: live samples arriving meanwhile change neither way's answer.
    const to = Math.floor(Date.now() / 1000 / 60) * 60 - 600;
    const window = resolveWindow(
      { from: new Date((to - 6 * 3600) * 1000).toISOString(), to: new Date(to * 1000).toISOString(), step: 60 },
      { now: new Date() },
    );
    const shapes = {
      whole: promAccess([{ clusters: all, namespaces: '*' }]),
      developer: promAccess([{ clusters: devClusters, namespaces: ['client-a-*'] }]),
    };
    for (const [shape, access] of Object.entries(shapes)) {
      const accesses = { namespaces: access, wholeCluster: access, anyViewer: access };
      const slow = await fleetPanelSet((d, a, w) => source.series(d, a, w), source.defs, accesses, window, 3);
      // Each way Prometheus can summarise (3 queries a panel, 1, or 7) gives the same as the BFF.
      for (const each of sources) {
        const fast = await fleetPanelSet(each, each.defs, accesses, window, 3);
        expect(fast.find((p) => p.def.id === 'podHealthRatio')!.table.length, shape).toBeGreaterThan(0);
        fast.forEach((p, i) => expectSameSummary(p, slow[i]!));
      }
    }
    expect(client.mergedTables).toBeGreaterThan(0);
  }, 240_000);

  it('reads the recorded series the testbed backfilled with promtool when health.recordingRules is on', async () => {
    const raw = await panelSet(ADMIN);
    const rec = await panelSet(ADMIN, { range: '24h' }, recorded);
    for (const [id, p] of rec) {
      expect(p.errors, id).toEqual([]);
      expect(p.def.help, id).toMatch(/cluster:fleetdeck_/);
      // The seeded history has recorded values across the whole day, not only since the rules loaded.
      expect(p.band.length, id).toBeGreaterThan(id === 'failedAuth' ? 0 : 100);
      if (id !== 'failedAuth') expect(tableClusters(p), id).toEqual(tableClusters(raw.get(id)));
    }
    expect((await promInstant('count(cluster:fleetdeck_pod_health:ratio offset 20h)'))[0]?.value[1]).toBe(
      String(tableClusters(raw.get('podHealthRatio')).length),
    );
    expect(rec.get('lastSync')!.worst[0]!.points.at(-1)![1]).toBeGreaterThan(6 * 3600);
    // A namespace-limited person still gets their namespaces' figures (recorded series have no namespace).
    const dev = await panelSet(DEVELOPER, { range: '24h' }, recorded);
    expect(tableClusters(dev.get('podHealthRatio'))).toEqual(tableClusters((await panelSet(DEVELOPER)).get('podHealthRatio')));
  }, 60_000);
  it('shares answers through the response cache only within one scope: two scopes, different upstream queries and answers', async () => {
    const config = HealthConfig.parse({});
    const sent: string[] = [];
    const client = recordingClient(sent);
    const source = new PrometheusHealthSource(client, healthPanelDefs(config), {
      recorded: recordedQueries(config),
      cache: new QueryCache(),
    });
    const all = await visible(ADMIN);
    const tenantA = all.filter((c) => c.startsWith('client-a-'));
    expect(tenantA.length).toBeGreaterThan(0);
    expect(all).toContain(FOREIGN);
    const cpu = source.defs.filter((d) => d.id === 'cpu');
    const to = Math.floor(Date.now() / 1000 / 60) * 60 - 600;
    const window = resolveWindow(
      { from: new Date((to - 3600) * 1000).toISOString(), to: new Date(to * 1000).toISOString(), step: 60 },
      { now: new Date() },
    );
    // One access object per scope, as the route's PanelAccessMemo gives people of one scope.
    const accessOf = new Map<string, PromAccess>();
    const run = async (clusters: string[]) => {
      const key = clusters.join(',');
      if (!accessOf.has(key)) accessOf.set(key, promAccess([{ clusters, namespaces: '*' }]));
      const access = accessOf.get(key)!;
      const [panel] = await fleetPanelSet(source, cpu, { namespaces: access, wholeCluster: access, anyViewer: access }, window, 3);
      return { panel: panel!, sent: sent.splice(0) };
    };
    const a = await run(tenantA);
    const foreign = await run([FOREIGN]);
    expect(a.panel.errors).toEqual([]);
    expect(foreign.sent.length).toBeGreaterThan(0);
    expect(a.sent.filter((q) => foreign.sent.includes(q))).toEqual([]);
    expect(tableClusters(a.panel).every((c) => c.startsWith('client-a-'))).toBe(true);
    expect(tableClusters(foreign.panel)).toEqual([FOREIGN]);
    // The same scope again: answered from the cache, nothing sent, the same panel.
    const again = await run(tenantA);
    expect(again.sent).toEqual([]);
    expect(again.panel).toEqual(a.panel);
    // Worked out once per answer and scope: the same table, band and worst series objects (written once by the route).
    expect(again.panel.table).toBe(a.panel.table);
    expect(again.panel.worst).toBe(a.panel.worst);
    expect(foreign.panel.table).not.toBe(a.panel.table);
  }, 60_000);
});

describe('the recorded fleet bands', () => {
  const config = HealthConfig.parse({});
  const sent: string[] = [];
  const client = recordingClient(sent);
  const enforced = new PrometheusHealthSource(client, healthPanelDefs(config), { recorded: recordedQueries(config) });
  const withBands = new PrometheusHealthSource(client, healthPanelDefs(config), {
    recorded: recordedQueries(config),
    fleetBands: fleetBandRecords(config),
  });
  // Well inside the history the testbed backfilled (both rule groups on one evaluation grid): the two ways agree exactly there.
  const to = Math.floor(Date.now() / 1000 / 60) * 60 - 2 * 3600;
  const window = resolveWindow(
    { from: new Date((to - 6 * 3600) * 1000).toISOString(), to: new Date(to * 1000).toISOString(), step: 120 },
    { now: new Date() },
  );
  /** Every cluster the store holds any panel's recorded series for, straight from Prometheus. */
  async function storeClusters(): Promise<string[]> {
    const params = new URLSearchParams({ start: String(window.from - 7200), end: String(Date.now() / 1000) });
    for (const name of Object.values(recordedNames(config))) params.append('match[]', name);
    const res = await fetch(`${env.prometheus.url}/api/v1/label/cluster/values?${params.toString()}`);
    return ((await res.json()) as { data: string[] }).data.sort();
  }
  const accessesOf = (clusters: readonly string[], everyCluster: boolean) => {
    const access = promAccess([{ clusters, namespaces: '*' }]);
    return { namespaces: access, wholeCluster: access, anyViewer: access, everyCluster };
  };
  const run = async (source: PrometheusHealthSource, clusters: readonly string[], everyCluster = true) => {
    sent.splice(0);
    const set = await fleetPanelSet(source, source.defs, accessesOf(clusters, everyCluster), window, 3);
    return { set, sent: sent.splice(0) };
  };
  // A recorded band read names `fleet:fleetdeck_…`, or matches such names by regex (`fleet\\:fleetdeck_…` in a PromQL string).
  const fleetReads = (queries: readonly string[]) => queries.filter((q) => /fleet(?:\\\\)?:fleetdeck_/.test(q));
  // The eight bands named alone are read together (BandReader); the age panel's band is an expression, read on its own.
  const BAND_READS = 2;

  it('are read for someone who sees every cluster in the store, and give the band the enforced query gives', async () => {
    const store = await storeClusters();
    expect(store.length).toBeGreaterThan(10);
    const admin = [...new Set([...store, ...(await visible(ADMIN))])];
    const fast = await run(withBands, admin);
    const slow = await run(enforced, admin);
    // Every built-in panel's band read (two reads), each read followed by one check of its series; none on the enforced path.
    expect(fleetReads(fast.sent)).toHaveLength(BAND_READS);
    const checks = fast.sent.filter((q) => q.startsWith('label values cluster of '));
    expect(checks).toHaveLength(BAND_READS);
    // Each check is ONE selector (Prometheus answers one match[] from its index): a series
    // named alone, or a regex on the name, which stands for the recorded series it matches.
    const recorded = Object.values(recordedNames(config));
    const checked = checks
      .map((c) => c.slice('label values cluster of '.length))
      .flatMap((m) => {
        const merged = /^\{__name__=~("(?:[^"\\]|\\.)*")\}$/.exec(m);
        return merged ? recorded.filter((n) => re2Regexp(JSON.parse(merged[1]!) as string).test(n)) : [m];
      });
    expect(checked.every((n) => recorded.includes(n))).toBe(true);
    expect(new Set(checked).size).toBe(9);
    expect(slow.sent.filter((q) => q.startsWith('label values'))).toEqual([]);
    expect(fleetReads(slow.sent)).toEqual([]);
    expect(fast.sent.filter((q) => q.startsWith('label_replace(quantile'))).toEqual([]);
    fast.set.forEach((p, i) => {
      const want = slow.set[i]!;
      expect(p.errors, p.def.id).toEqual([]);
      expect(p.band.length, p.def.id).toBeGreaterThan(p.def.id === 'failedAuth' ? 0 : 100);
      expect(
        p.band.map((b) => b.t),
        p.def.id,
      ).toEqual(want.band.map((b) => b.t));
      p.band.forEach((b, k) => {
        const w = want.band[k]!;
        expect(b.n, `${p.def.id} n at ${b.t}`).toBe(w.n);
        // The age panel's figures are `time()` minus the mirrored timestamps: equal to the float.
        for (const f of ['p50', 'p95', 'min', 'max'] as const) expect(b[f], `${p.def.id} ${f} at ${b.t}`).toBeCloseTo(w[f], 6);
      });
      expect(p.table, p.def.id).toEqual(want.table);
      expect(p.worst, p.def.id).toEqual(want.worst);
    });
  }, 120_000);

  it('are never read for someone who misses a cluster the store holds, nor for anyone who does not see the whole inventory', async () => {
    const store = await storeClusters();
    const tenantA = (await visible(TENANT_ADMIN)).filter((c) => store.includes(c));
    expect(tenantA.length).toBeGreaterThan(0);
    expect(store).toContain(FOREIGN);
    const allButOne = store.filter((c) => c !== FOREIGN);
    const cases: [string[], boolean][] = [
      // The store check alone (as if they saw the whole inventory): another tenant's clusters, or one foreign cluster, are in the store.
      [tenantA, true],
      [allButOne, true],
      // Every cluster in the store, but not the whole inventory: never tried (whether it could be read would tell them about the store).
      [store, false],
    ];
    for (const [clusters, everyCluster] of cases) {
      const fast = await run(withBands, clusters, everyCluster);
      const slow = await run(enforced, clusters, everyCluster);
      // Read for the whole-inventory cases, then dropped for the store check; never tried for the others.
      expect(fleetReads(fast.sent)).toHaveLength(everyCluster ? BAND_READS : 0);
      expect(fast.set.map((p) => p.band)).toEqual(slow.set.map((p) => p.band));
      // Nobody else is counted: the store-wide band would count every cluster at every step.
      for (const p of fast.set) expect(Math.max(0, ...p.band.map((b) => b.n)), p.def.id).toBeLessThanOrEqual(clusters.length);
      // No store check either without the whole inventory: nothing about the store is asked.
      if (!everyCluster) expect([...fast.sent].sort()).toEqual([...slow.sent].sort());
    }
  }, 120_000);

  it('are shared through the response cache with their check only: the next viewer reads nothing, someone who fails the check gets the enforced band', async () => {
    const cached = new PrometheusHealthSource(client, healthPanelDefs(config), {
      recorded: recordedQueries(config),
      fleetBands: fleetBandRecords(config),
      cache: new QueryCache({ ttlMs: 300_000 }),
    });
    const store = await storeClusters();
    const admin = [...new Set([...store, ...(await visible(ADMIN))])];
    const first = await run(cached, admin);
    expect(fleetReads(first.sent)).toHaveLength(BAND_READS);
    const again = await run(cached, admin);
    // Band and check both remembered: nothing goes upstream.
    expect(again.sent).toEqual([]);
    expect(again.set).toEqual(first.set);
    // The remembered check says another cluster is in the store: the remembered band is not theirs to see.
    const allButOne = store.filter((c) => c !== FOREIGN);
    const them = await run(cached, allButOne);
    expect(fleetReads(them.sent)).toEqual([]);
    expect(them.set.map((p) => p.band)).toEqual((await run(enforced, allButOne)).set.map((p) => p.band));
  }, 120_000);
});
