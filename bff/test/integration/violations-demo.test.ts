import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { VIOLATION_CSV_COLUMNS, ViolationCoverage, ViolationList, ViolationSummary, ViolationTrends } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import type { RunningServer } from '../../src/server.ts';
import { demoViolationSource } from '../../src/sources/demo/violations/demo-violation-source.ts';
import { Browser, startDemoBff } from '../helpers/demo-client.ts';

/**
 * The violations API on the demo BFF, per persona. The demo source ticks every second
 * here (a finding appears, one is fixed), so the live topic can be seen within seconds.
 * The persona tests compare a total with the rows paged, the CSV and the summary, over
 * several requests: they run on a still clock, or a tick between two requests changes the
 * set (a CI run paged 177 rows against a total of 176). The live-topic test lets it run.
 */
const CLUSTERS = new Map(demoClusters(new Date()).map((c) => [c.name, c]));
const tenantOf = (name: string) => CLUSTERS.get(name)?.tenant;
const stillAt = Date.now();
let clockRuns = false;
const clock = () => (clockRuns ? Date.now() : stillAt);

let bff: RunningServer;
const people: Record<string, Browser> = {};
beforeAll(async () => {
  bff = await startDemoBff({}, { violations: demoViolationSource({ clusters: [...CLUSTERS.values()], tickMs: 1000, now: clock }) });
  for (const user of ['platform-admin@demo', 'client-a-admin@demo', 'client-a-dev@demo', 'client-b-viewer@demo']) {
    people[user] = new Browser(bff.url);
    await people[user].signIn(user);
  }
});
afterAll(async () => {
  await bff?.close();
});

async function json(user: string, path: string): Promise<unknown> {
  const res = await people[user]!.fetch(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return res.json();
}
const list = async (user: string, q = '') => ViolationList.parse(await json(user, `/api/violations${q}`));
const summary = async (user: string, q = '') => ViolationSummary.parse(await json(user, `/api/violations/summary${q}`));

async function allRows(user: string, q = '') {
  const rows: ViolationList['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await list(user, `?limit=50${q}${cursor ? `&cursor=${cursor}` : ''}`);
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

async function csv(user: string, q = ''): Promise<{ header: string; rows: string[][]; res: Response }> {
  const res = await people[user]!.fetch(`/api/violations/export.csv${q}`);
  expect(res.status).toBe(200);
  const lines = (await res.text()).split('\r\n').filter(Boolean);
  // The demo's cells hold no commas or quotes in the columns read here (cluster, tenant, namespace).
  return { header: lines[0]!, rows: lines.slice(1).map((l) => l.split(',')), res };
}
const col = (name: (typeof VIOLATION_CSV_COLUMNS)[number]) => VIOLATION_CSV_COLUMNS.indexOf(name);

describe('violations per persona (demo)', () => {
  it('shows a Platform Admin every tenant, and pages through exactly `total` rows', async () => {
    const s = await summary('platform-admin@demo');
    expect(s.byTenant.map((t) => t.tenant).sort()).toEqual(['client-a', 'client-b', 'client-c']);
    const first = await list('platform-admin@demo');
    expect(first.total).toBe(s.total);
    const rows = await allRows('platform-admin@demo');
    expect(rows).toHaveLength(s.total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(s.total);
    expect(rows.some((r) => r.resource.namespace === undefined)).toBe(true);
    expect(first.truncations.length).toBeGreaterThan(0);
  });

  it('keeps a Tenant Admin to their clusters in list, summary, heat map, coverage and CSV', async () => {
    const user = 'client-a-admin@demo';
    const rows = await allRows(user);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => tenantOf(r.cluster) === 'client-a')).toBe(true);
    const s = await summary(user);
    expect(s.byTenant).toEqual([{ tenant: 'client-a', count: s.total }]);
    expect(s.byPolicyCluster.every((c) => tenantOf(c.cluster) === 'client-a')).toBe(true);
    const cov = ViolationCoverage.parse(await json(user, '/api/violations/coverage'));
    expect(cov.coverage.length).toBeGreaterThan(0);
    expect([...cov.coverage, ...cov.isolation, ...cov.feeds].every((c) => tenantOf(c.cluster) === 'client-a')).toBe(true);
    const { rows: csvRows } = await csv(user);
    expect(csvRows).toHaveLength(s.total);
    expect(csvRows.every((r) => r[col('tenant')] === 'client-a')).toBe(true);
    // Filtering on another tenant's cluster gives nothing, not an error that confirms it exists.
    expect((await list(user, '?tenant=client-b')).total).toBe(0);
  });

  it('gives a Developer only their namespaces: no cluster-scoped rows, no coverage, no other namespaces’ counts', async () => {
    const user = 'client-a-dev@demo';
    const rows = await allRows(user);
    expect(rows.every((r) => r.resource.namespace?.startsWith('client-a-') && tenantOf(r.cluster) === 'client-a')).toBe(true);
    expect(rows.every((r) => ['dev', 'staging'].includes(CLUSTERS.get(r.cluster)!.environment))).toBe(true);
    const s = await summary(user);
    expect(s.total).toBe(rows.length);
    expect(s.truncations).toEqual([]);
    expect(s.byNamespace.every((n) => n.namespace.startsWith('client-a-'))).toBe(true);
    const cov = ViolationCoverage.parse(await json(user, '/api/violations/coverage'));
    expect(cov.coverage).toEqual([]);
    expect(cov.isolation.every((i) => i.namespace.startsWith('client-a-'))).toBe(true);
    const { rows: csvRows } = await csv(user);
    expect(csvRows).toHaveLength(rows.length);
    expect(csvRows.every((r) => r[col('namespace')]!.startsWith('client-a-'))).toBe(true);
    const trends = ViolationTrends.parse(await json(user, '/api/violations/trends?range=6h'));
    expect(trends.series.every((t) => t.source === 'policy_report_result')).toBe(true);
  });

  it('gives a Viewer their tenant only', async () => {
    const s = await summary('client-b-viewer@demo');
    expect(s.byTenant.every((t) => t.tenant === 'client-b')).toBe(true);
    expect(s.feeds.every((f) => tenantOf(f.cluster) === 'client-b')).toBe(true);
  });

  it('exports CSV as an attachment with the contract’s columns, same filters as the list', async () => {
    const { header, rows, res } = await csv('platform-admin@demo', '?engine=gatekeeper');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="violations-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(header).toBe(VIOLATION_CSV_COLUMNS.join(','));
    expect(rows.length).toBe((await list('platform-admin@demo', '?engine=gatekeeper')).total);
    expect(rows.every((r) => r[col('engine')] === 'gatekeeper')).toBe(true);
  });

  it('answers the cluster page from the store, cut the same way; 404 alike for missing and not yours', async () => {
    const [name] = [...CLUSTERS.values()].filter((c) => c.tenant === 'client-b').map((c) => c.name);
    const body = (await json('platform-admin@demo', `/api/clusters/${name}/violations`)) as { items: { cluster: string }[] };
    expect(body.items.length).toBe((await list('platform-admin@demo', `?cluster=${name}`)).total);
    expect((await people['client-a-admin@demo']!.fetch(`/api/clusters/${name}/violations`)).status).toBe(404);
    expect((await people['client-a-admin@demo']!.fetch('/api/clusters/no-such-cluster/violations')).status).toBe(404);
  });

  it('refuses bad filters with a 400 problem', async () => {
    for (const q of ['?severity=bogus', '?limit=0', '?cursor=not-a-cursor', '?cluster=a&cluster=b', '?unknown=1', '?sort=size']) {
      const res = await people['platform-admin@demo']!.fetch(`/api/violations${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type'), q).toMatch(/problem\+json/);
    }
    const bad = await people['platform-admin@demo']!.fetch('/api/violations/trends?range=2y');
    expect(bad.status).toBe(400);
  });
});

describe('the violation live topic (demo)', () => {
  beforeAll(() => {
    clockRuns = true;
  });

  it('tells each person about changes of clusters they see, and nobody about others', async () => {
    const seen: Record<string, string[][]> = {};
    const controllers: AbortController[] = [];
    const read = async (user: string) => {
      const controller = new AbortController();
      controllers.push(controller);
      const res = await people[user]!.fetch('/api/events', { signal: controller.signal });
      const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      const decoder = new TextDecoder();
      let buffer = '';
      seen[user] = [];
      void (async () => {
        for (;;) {
          const chunk = await reader.read().catch(() => undefined);
          if (!chunk || chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          for (const m of buffer.matchAll(/event: violation\ndata: (.*)\n/g))
            seen[user]!.push((JSON.parse(m[1]!) as { clusters: string[] }).clusters);
          buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
        }
      })();
    };
    await read('platform-admin@demo');
    await read('client-b-viewer@demo');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (seen['platform-admin@demo']!.length < 3 || seen['client-b-viewer@demo']!.length < 1))
      await new Promise((r) => setTimeout(r, 200));
    for (const c of controllers) c.abort();
    expect(seen['platform-admin@demo']!.length).toBeGreaterThanOrEqual(3);
    expect(seen['client-b-viewer@demo']!.length).toBeGreaterThanOrEqual(1);
    expect(seen['client-b-viewer@demo']!.flat().every((c) => tenantOf(c) === 'client-b')).toBe(true);
    expect(seen['platform-admin@demo']!.flat().every((c) => CLUSTERS.has(c))).toBe(true);
  });
});
