import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { ViolationSeverity, type Cluster, type Violation } from '@fleetdeck/shared';

import { DEFAULT_ACCESS_POLICY } from '../../bff/src/access/policy.ts';
import { resolveScope } from '../../bff/src/access/resolve-scope.ts';
import { csvRow, violationCells } from '../../bff/src/access/violations/violation-csv.ts';
import { filterScoped } from '../../bff/src/access/violations/violation-filter.ts';
import { pageOf, sortRows } from '../../bff/src/access/violations/violation-page.ts';
import { scopeSnapshot } from '../../bff/src/access/violations/violation-scope.ts';
import { summarize } from '../../bff/src/access/violations/violation-summary.ts';
import { resetViolationWork, violationWork } from '../../bff/src/access/violations/violation-work.ts';
import { DemoInventory } from '../../bff/src/sources/demo/demo-inventory.ts';
import type { ViolationSnapshot, ViolationSource } from '../../bff/src/sources/violations/violation-source.ts';
import { Browser, startDemoBff } from '../../bff/test/helpers/demo-client.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';

const CLUSTERS = 1000;
const VIOLATIONS = 20_000;
const RUNS = 40;
const NAIVE_RUNS = 5;
/** Concurrent spoke reads of the naive way (a BFF would not open 1,000 at once). */
const FAN_OUT = 32;
const ADMIN = 'platform-admin@demo';

/** 20 per cluster: the tenant's namespaces, kube-system, and cluster-scoped Gatekeeper results; both engines. */
function synthesize(clusters: readonly Cluster[]): Violation[] {
  const out: Violation[] = [];
  const severities = ViolationSeverity.options;
  for (let i = 0; i < VIOLATIONS; i++) {
    const c = clusters[i % clusters.length]!;
    const gk = i % 3 === 0;
    const ns = i % 10 === 0 ? undefined : i % 7 === 0 ? 'kube-system' : `${c.tenant}-${['apps', 'web', 'jobs'][i % 3]}`;
    out.push({
      id: `bench-${i}`,
      engine: gk ? 'gatekeeper' : 'kyverno',
      cluster: c.name,
      policy: gk ? `K8sRequiredLabels/policy-${i % 12}` : `require-${i % 15}`,
      ...(!gk && { rule: `check-${i % 4}` }),
      severity: gk ? 'unknown' : severities[i % 5]!,
      action: gk ? 'deny' : 'audit',
      result: 'fail',
      resource: { kind: ns === undefined ? 'Namespace' : 'Deployment', ...(ns !== undefined && { namespace: ns }), name: `app-${i}` },
      message: `validation error: label "owner" is required; resource app-${i} in ${ns ?? 'the cluster'} does not set it (rule ${i % 4})`,
      lastSeenAt: new Date(Date.UTC(2026, 10, 26, 0, i % 1440)).toISOString(),
    });
  }
  return out;
}

/**
 * The source seam: a snapshot grouped by cluster, as the spoke source keeps it. `change()`
 * is what a spoke's update does to it: one cluster's findings are replaced (a new array,
 * the same rows re-mapped) and the version moves, so no answer is cached and that
 * cluster's counts and sorted runs are rebuilt; the other clusters' stay as they were.
 */
class BenchSource implements ViolationSource {
  snap: ViolationSnapshot = {
    version: 1,
    violations: [],
    truncations: [],
    namespaceCounts: [],
    coverage: [],
    isolation: [],
    feeds: [],
    errors: [],
  };
  #turn = 0;
  start = () => Promise.resolve();
  stop = () => Promise.resolve();
  snapshot = () => this.snap;
  onChange = () => () => undefined;
  load(violations: Violation[]): void {
    const byCluster = new Map<string, Violation[]>();
    for (const v of violations) {
      let list = byCluster.get(v.cluster);
      if (!list) byCluster.set(v.cluster, (list = []));
      list.push(v);
    }
    this.snap = { ...this.snap, version: this.snap.version + 1, violations, byCluster };
  }
  change(): void {
    const byCluster = new Map(this.snap.byCluster);
    const names = [...byCluster.keys()];
    const name = names[this.#turn++ % names.length]!;
    byCluster.set(
      name,
      byCluster.get(name)!.map((v) => ({ ...v })),
    );
    this.snap = { ...this.snap, version: this.snap.version + 1, violations: [...byCluster.values()].flat(), byCluster };
  }
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Stand-in spokes: one HTTP server answering each cluster's list (the naive way reads all of them per request). */
async function spokeServer(byCluster: Map<string, string>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const body = byCluster.get(decodeURIComponent((req.url ?? '').slice('/clusters/'.length)));
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function timed(runs: number, once: () => Promise<unknown>): Promise<number[]> {
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await once();
    samples.push(performance.now() - start);
  }
  return samples;
}

/**
 * Median CPU time (user + system) of the process per call: the BFF, the HTTP exchange and
 * the bench's client share the process. Unlike wall time it hardly moves with the machine's
 * load (other processes' time is not counted), so it is comparable across busy runs.
 */
async function cpuMs(runs: number, once: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    await once();
    const d = process.cpuUsage(before);
    samples.push((d.user + d.system) / 1000);
  }
  return percentile(samples, 50);
}

async function get(browser: Browser, path: string): Promise<string> {
  const res = await browser.fetch(path);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text;
}

function gcNow(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Issue 11: 20,000 violations over 1,000 clusters at the source seam, through the real BFF
 * over HTTP as a Platform Admin. "cold" changes one cluster's findings before each request
 * (a new snapshot version: no cached answer, that cluster's counts and runs rebuilt);
 * "warm" is a repeat read. Work counts (rows touched, counts combined, bytes) of one cold
 * request are recorded too: they do not move with the machine's load. Beside each, in the same run, the naive
 * per-request fan-out: read every cluster's list from stand-in spokes (local HTTP, no
 * network latency: a lower bound for real spokes behind a proxy), then filter, sort and
 * summarise. RSS: the BFF process before and after holding the violations and answering.
 */
export async function violationsBenchmarks(log: (line: string) => void): Promise<BenchRecord[]> {
  const inventory = new DemoInventory({ syntheticClusters: CLUSTERS - 20 });
  const source = new BenchSource();
  const bff = await startDemoBff({}, { inventory, violations: source });
  let spokes: { url: string; server: Server } | undefined;
  try {
    const clusters = inventory.snapshot().clusters.slice(0, CLUSTERS);
    const browser = new Browser(bff.url);
    await browser.signIn(ADMIN);
    await get(browser, '/api/violations/summary');
    gcNow();
    const { rss: rss0, heapUsed: heap0 } = process.memoryUsage();
    const violations = synthesize(clusters);
    const loadBefore = loadavg();
    source.load(violations);
    const cold = (path: string) => () => (source.change(), get(browser, path));
    const warm = (path: string) => () => get(browser, path);
    const p95 = (s: number[]) => round(percentile(s, 95), 1);
    /** Work of one request after a change, in counts the machine's load does not move. */
    const workOf = async (path: string) => {
      source.change();
      resetViolationWork();
      const bytes = (await get(browser, path)).length;
      return { ...violationWork, bytes };
    };

    const SUMMARY = '/api/violations/summary';
    const SUMMARY_ALL = '/api/violations/summary?heatMapLimit=100000&namespaceLimit=1000000';
    const PAGE = '/api/violations?limit=100&sort=cluster';
    const PAGE_SEVERITY = '/api/violations?limit=100';
    const summaryCold = await timed(RUNS, cold(SUMMARY));
    const summaryWarm = await timed(RUNS, warm(SUMMARY));
    const summaryAllCold = await timed(RUNS, cold(SUMMARY_ALL));
    const pageCold = await timed(RUNS, cold(PAGE));
    const pageWarm = await timed(RUNS, warm(PAGE));
    const pageSeverityCold = await timed(RUNS, cold(PAGE_SEVERITY));
    const cpu = {
      summary: round(await cpuMs(RUNS, cold(SUMMARY)), 1),
      page: round(await cpuMs(RUNS, cold(PAGE)), 1),
      pageSeverity: round(await cpuMs(RUNS, cold(PAGE_SEVERITY)), 1),
      csv: round(await cpuMs(5, cold('/api/violations/export.csv')), 1),
    };
    const work = {
      summary: await workOf(SUMMARY),
      summaryAll: await workOf(SUMMARY_ALL),
      page: await workOf(PAGE),
      pageSeverity: await workOf(PAGE_SEVERITY),
    };
    const loadAfter = loadavg();
    let csvRows = 0;
    const csv = await timed(5, async () => {
      source.change();
      csvRows = (await get(browser, '/api/violations/export.csv')).split('\r\n').length - 2;
    });
    if (csvRows !== VIOLATIONS) throw new Error(`the CSV held ${csvRows} rows, not ${VIOLATIONS}`);
    gcNow();
    const mem = process.memoryUsage();
    const rssMb = (mem.rss - rss0) / 1024 / 1024;
    const heapMb = (mem.heapUsed - heap0) / 1024 / 1024;
    const lists = new Map<string, Violation[]>(clusters.map((c) => [c.name, []]));
    for (const v of violations) lists.get(v.cluster)!.push(v);
    const byCluster = new Map([...lists].map(([name, list]) => [name, JSON.stringify(list)]));
    spokes = await spokeServer(byCluster);
    const spokeUrl = spokes.url;

    // The naive way, per request: read every spoke, then do the same work.
    const scope = resolveScope({ user: ADMIN, groups: ['fleet-platform-admins'] }, DEFAULT_ACCESS_POLICY);
    const fanOut = async (): Promise<ViolationSnapshot> => {
      const all: Violation[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: FAN_OUT }, async () => {
          while (next < clusters.length) {
            const c = clusters[next++]!;
            const res = await fetch(`${spokeUrl}/clusters/${encodeURIComponent(c.name)}`);
            all.push(...((await res.json()) as Violation[]));
          }
        }),
      );
      return { ...source.snap, violations: all };
    };
    const naiveSummary = await timed(NAIVE_RUNS, async () => summarize(filterScoped(scopeSnapshot(await fanOut(), scope, clusters), {})));
    const naivePage = await timed(NAIVE_RUNS, async () =>
      JSON.stringify(pageOf(sortRows(scopeSnapshot(await fanOut(), scope, clusters).violations, 'cluster'), undefined, 100)),
    );
    const naiveCsv = await timed(NAIVE_RUNS, async () => {
      const s = scopeSnapshot(await fanOut(), scope, clusters);
      return sortRows(s.violations, 'cluster')
        .rows.map((v) => csvRow(violationCells(v, s.reach.get(v.cluster)?.cluster.tenant)))
        .join('');
    });

    const label = `${VIOLATIONS} violations, ${CLUSTERS} clusters, Platform Admin; baseline per-request fan-out to ${CLUSTERS} local stand-in spokes`;
    log(`load average (1/5/15 min) before ${loadBefore}, after the timed requests ${loadAfter} on ${availableParallelism()} cores`);
    log(
      `summary cold p95 ${p95(summaryCold)} ms (warm ${p95(summaryWarm)}; every heat-map cell ${p95(summaryAllCold)}), fan-out ${p95(naiveSummary)} ms`,
    );
    log(
      `page of 100 cold p95 ${p95(pageCold)} ms (warm ${p95(pageWarm)}; by severity ${p95(pageSeverityCold)}), fan-out ${p95(naivePage)} ms`,
    );
    for (const [name, w] of Object.entries(work)) log(`work of one ${name} request after a change: ${JSON.stringify(w)}`);
    log(`CPU per request after a change (median, whole process): ${JSON.stringify(cpu)} ms`);
    log(`CSV ${csvRows} rows p95 ${p95(csv)} ms, fan-out ${p95(naiveCsv)} ms; RSS +${round(rssMb, 1)} MiB, heap +${round(heapMb, 1)} MiB`);
    return [
      record('violations', `GET summary p95, no cached answer, ${label}`, p95(summaryCold), 'ms', {
        baseline: p95(naiveSummary),
        goal: 100,
      }),
      record('violations', `GET summary p95, cached answer, ${label}`, p95(summaryWarm), 'ms', { baseline: p95(naiveSummary), goal: 100 }),
      record(
        'violations',
        `GET summary p95, every heat-map cell and namespace row, no cached answer, ${label}`,
        p95(summaryAllCold),
        'ms',
        {
          baseline: p95(naiveSummary),
        },
      ),
      record('violations', `GET page of 100 p95, no cached answer, ${label}`, p95(pageCold), 'ms', { baseline: p95(naivePage), goal: 50 }),
      record('violations', `GET page of 100 by severity p95, no cached answer, ${label}`, p95(pageSeverityCold), 'ms', {
        baseline: p95(naivePage),
        goal: 50,
      }),
      record('violations', 'machine load average (1 min) after the timed requests', Number(loadAfter.split(' ')[0]), 'load', {}),
      record('violations', 'summary: CPU time per request after one cluster changed (median, process user+system)', cpu.summary, 'ms'),
      record('violations', 'page of 100 by cluster: CPU time per request after one cluster changed (median)', cpu.page, 'ms'),
      record('violations', 'page of 100 by severity: CPU time per request after one cluster changed (median)', cpu.pageSeverity, 'ms'),
      record('violations', `export.csv (all ${VIOLATIONS} rows): CPU time per request after one cluster changed (median)`, cpu.csv, 'ms'),
      record(
        'violations',
        'summary: rows touched per request after one cluster changed',
        work.summary.indexedRows + work.summary.visitedRows,
        'rows',
      ),
      record('violations', 'summary: precomputed counts combined per request', work.summary.mergedCounts, 'counts'),
      record(
        'violations',
        "summary: response bytes (the page's: heat map of the busiest 30 × 30, 200 busiest namespaces)",
        work.summary.bytes,
        'B',
      ),
      record('violations', 'summary: response bytes (every heat-map cell and namespace row)', work.summaryAll.bytes, 'B'),
      record(
        'violations',
        'page of 100 by cluster: rows touched per request after one cluster changed',
        work.page.indexedRows + work.page.sortedRows + work.page.visitedRows,
        'rows',
      ),
      record(
        'violations',
        'page of 100 by severity: rows touched per request after one cluster changed',
        work.pageSeverity.indexedRows + work.pageSeverity.sortedRows + work.pageSeverity.visitedRows,
        'rows',
      ),
      record('violations', `GET page of 100 p95, cached answer, ${label}`, p95(pageWarm), 'ms', { baseline: p95(naivePage), goal: 50 }),
      record('violations', `GET export.csv (all ${VIOLATIONS} rows) p95, ${label}`, p95(csv), 'ms', {
        baseline: p95(naiveCsv),
        goal: 1000,
      }),
      // RSS keeps pages V8 freed (and the bench's own HTTP client shares the process); the heap figure is what stays held.
      record('violations', `BFF RSS added per 10,000 violations (after GC)`, round((rssMb * 10_000) / VIOLATIONS, 1), 'MiB'),
      record(
        'violations',
        `BFF heap added per 10,000 violations (held and cached answers; after GC)`,
        round((heapMb * 10_000) / VIOLATIONS, 1),
        'MiB',
      ),
    ];
  } finally {
    spokes?.server.close();
    await bff.close();
  }
}
