import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import type { HealthPanelDef } from '@fleetdeck/shared';

import { promAccess } from '../../bff/src/access/promql/index.ts';
import { DemoInventory } from '../../bff/src/sources/demo/demo-inventory.ts';
import { fleetPanelSet } from '../../bff/src/sources/health/fleet-panels.ts';
import { PrometheusHealthSource } from '../../bff/src/sources/health/health-source.ts';
import { HealthConfig } from '../../bff/src/sources/health/panel-config.ts';
import { healthPanelDefs } from '../../bff/src/sources/health/panel-defs.ts';
import type { FleetPlanKind } from '../../bff/src/sources/health/prometheus-fleet.ts';
import { QueryCache } from '../../bff/src/sources/health/query-cache.ts';
import { fleetBandRecords, recordedQueries, recordingRulesFile } from '../../bff/src/sources/health/recording-rules.ts';
import { resolveWindow, type ResolvedWindow } from '../../bff/src/sources/health/window.ts';
import {
  PrometheusClient,
  type MetadataOptions,
  type QueryData,
  type RawAnswer,
} from '../../bff/src/sources/prometheus/prometheus-client.ts';
import { startPrometheus } from '../../testbed/src/prom/start.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';
import { healthBrowserBenchmarks } from './health-browser.ts';

const CLUSTERS = 1000;
/** The brief's demo fleet has 20 clusters; the rest are the demo's generated ones (the browser bench serves the same inventory). */
const SYNTHETIC = CLUSTERS - 20;
const RUNS = 5;
/** The naive way is timed over this many clusters and scaled to all (9,000 queries would take minutes on a shared machine). */
const NAIVE_SAMPLE = 100;
const GOAL_MS = 400;
/** Seeded at five-minute resolution: 1,000 clusters' day in a few million samples, imported in minutes. */
const STEP_SECONDS = 300;
/** How far the seeded history runs past the wall clock (the browser bench runs within it). */
const LEAD_MINUTES = 90;

/** 1-min load average per core: above 1, processes waited for a core (the machine is shared). */
const machineLoad = () => round(loadavg()[0]! / availableParallelism(), 2);
/** The load averages as the kernel says them (1, 5, 15 min; runnable/all tasks). */
const procLoad = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 4).join(' ');

/** A client that counts the queries it sends: the figure the machine's load does not change. */
class CountingClient extends PrometheusClient {
  queries = 0;
  override instantRaw(query: string, options: { time?: number } = {}): Promise<RawAnswer<QueryData>> {
    this.queries++;
    return super.instantRaw(query, options);
  }
  override rangeRaw(query: string, start: number, end: number, step: number): Promise<RawAnswer<QueryData>> {
    this.queries++;
    return super.rangeRaw(query, start, end, step);
  }
  /** The recorded fleet band's store check: an upstream request too. */
  override labelValuesRaw(name: string, matchers: readonly string[], options: MetadataOptions = {}): Promise<RawAnswer<string[]>> {
    this.queries++;
    return super.labelValuesRaw(name, matchers, options);
  }
}

async function pool<T>(items: readonly T[], width: number, run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

type Accesses = Parameters<typeof fleetPanelSet>[2];

/** CPU seconds a process has used (user + system), from /proc: what a set costs whatever the machine's load. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
}

/** Backfilled blocks overlap the seeded one until Prometheus compacts them (within a minute or two of start). */
async function compacted(url: string, log: (line: string) => void): Promise<void> {
  const t0 = performance.now();
  for (let i = 0; i < 60; i++) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const blocks = Number(/^prometheus_tsdb_blocks_loaded (\S+)$/m.exec(text)?.[1] ?? NaN);
    if (blocks <= 3) {
      log(`blocks compacted (${blocks} loaded) after ${Math.round((performance.now() - t0) / 1000)} s`);
      return;
    }
    await new Promise((r) => setTimeout(r, 5000));
  }
  log('blocks still not compacted after 5 min: measuring anyway');
}

/**
 * The panel set `RUNS` times after a warm-up, checked for errors and missing clusters; p50/p95
 * in ms, and per set: upstream queries, Prometheus' and this process' CPU. `windows` gives each
 * run its window: the same one (a cache answers from the second), or a new one each (cold).
 */
async function timeSet(
  source: PrometheusHealthSource,
  client: CountingClient,
  defs: readonly HealthPanelDef[],
  accesses: Accesses,
  windows: (run: number) => ResolvedWindow,
  prometheusPid: number,
) {
  return (await timeSets([source], client, defs, accesses, windows, prometheusPid))[0]!;
}

/**
 * `timeSet` for several sources at once, their runs interleaved (A, B, A, B…), so a drift in the
 * machine's load or Prometheus' caches falls on each alike; each run gets its own window.
 */
async function timeSets(
  sources: readonly PrometheusHealthSource[],
  client: CountingClient,
  defs: readonly HealthPanelDef[],
  accesses: Accesses,
  windows: (run: number) => ResolvedWindow,
  prometheusPid: number,
  runs = RUNS,
) {
  const once = async (source: PrometheusHealthSource, window: ResolvedWindow) => {
    const start = performance.now();
    const set = await fleetPanelSet(source, defs, accesses, window, 5);
    const elapsed = performance.now() - start;
    const failed = set.filter((p) => p.errors.length > 0);
    if (failed.length > 0) throw new Error(`panels failed: ${failed.map((p) => `${p.def.id}: ${p.errors[0]!.reason}`).join('; ')}`);
    const short = set.filter(
      (p) => p.table.length < CLUSTERS * 0.9 || p.band.length < (window.to - window.from) / window.step / 2 || p.worst.length !== 5,
    );
    if (short.length > 0)
      throw new Error(`panels without most clusters: ${short.map((p) => `${p.def.id} (${p.table.length})`).join(', ')}`);
    return elapsed;
  };
  // Warm-up: Prometheus' page cache, our JIT (and, for the warm figure, the cache). Windows past the
  // timed ones' (unique windows step back in time from the seeded end; none may lie beyond it).
  for (const [j, source] of sources.entries()) await once(source, windows(sources.length === 1 ? -1 : runs * sources.length + j));
  const each = sources.map(() => ({ samples: [] as number[], promCpu: 0, ownCpu: 0, queries: 0 }));
  for (let i = 0; i < runs; i++) {
    for (const [j, source] of sources.entries()) {
      const promCpu = cpuSeconds(prometheusPid);
      const ownCpu = process.cpuUsage();
      const queries = client.queries;
      each[j]!.samples.push(await once(source, windows(i * sources.length + j)));
      const own = process.cpuUsage(ownCpu);
      each[j]!.ownCpu += (own.user + own.system) / 1000;
      each[j]!.promCpu += (cpuSeconds(prometheusPid) - promCpu) * 1000;
      each[j]!.queries += client.queries - queries;
    }
  }
  return each.map((e) => ({
    p50: round(percentile(e.samples, 50), 1),
    p95: round(percentile(e.samples, 95), 1),
    load: machineLoad(),
    procLoad: procLoad(),
    queries: round(e.queries / runs, 1),
    /** CPU ms per set: Prometheus', and the BFF's (this process). */
    promCpu: round(e.promCpu / runs, 0),
    bffCpu: round(e.ownCpu / runs, 0),
  }));
}

/**
 * The fleet panel set for 1,000 clusters over 24 h, on a Prometheus of its own seeded with the
 * testbed's generator and the recording rules (both groups) backfilled by promtool: all nine
 * panels as the Platform Admin (one group of 1,000 clusters: every cluster in the store, so the
 * recorded fleet bands are read — the default), the table and worst clusters enforced. In the
 * same run: cold (no cache, a new window each run) and warm (the response cache, the same
 * window); the enforced ways Prometheus can summarise, as a Tenant Admin's panels run (merged
 * band: 3 queries a panel, 1, or the earlier 7); the raw expressions summarised by the BFF; and
 * the naive way, one query per cluster per panel (8 at a time). Then the Health page in
 * Chromium on the same Prometheus (health-browser.ts).
 */
export async function healthPanelBenchmarks(log: (line: string) => void): Promise<BenchRecord[]> {
  const runDir = join(tmpdir(), `fleetdeck-bench-health-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  // The demo inventory's 1,000 clusters: the browser bench's BFF serves the same inventory over this Prometheus.
  const inventory = new DemoInventory({ syntheticClusters: SYNTHETIC });
  await inventory.start();
  const fleet = inventory.snapshot().clusters;
  if (fleet.length !== CLUSTERS) throw new Error(`the demo inventory has ${fleet.length} clusters, not ${CLUSTERS}`);
  const names = fleet.map((c) => c.name).sort();
  const clusters = fleet.map((c) => ({ name: c.name, tenant: c.tenant, env: c.environment, nodes: 2 }));
  // Five-minute data: rate windows of three samples, rules evaluated at the data's resolution.
  const config = HealthConfig.parse({ rateWindow: '15m', lastSyncResolution: '15m', minStepSeconds: STEP_SECONDS });
  const rulesFile = join(runDir, 'rules.json');
  writeFileSync(rulesFile, JSON.stringify(recordingRulesFile(config, `${STEP_SECONDS}s`)));
  // The history runs past the wall clock by LEAD_MINUTES: the browser bench's BFF asks for windows ending
  // at the real now, minutes after seeding, and the tables (each cluster's value at the window's end) need samples there.
  const now = new Date(Date.now() + LEAD_MINUTES * 60_000);
  log(
    `seeding ${CLUSTERS} clusters × 24 h (+ ${LEAD_MINUTES} min ahead) at ${STEP_SECONDS} s into a bench Prometheus, recording rules backfilled by promtool…`,
  );
  const t0 = performance.now();
  const prometheus = await startPrometheus({
    runDir,
    clusters,
    now,
    hours: 24 + Math.ceil(LEAD_MINUTES / 60),
    stepSeconds: STEP_SECONDS,
    recordingRules: rulesFile,
  });
  const ready = Math.round((performance.now() - t0) / 1000);
  log(`seeded and ready in ${ready} s, of which ${prometheus.backfillSeconds} s backfilling the 9 rules; load ${machineLoad()} per core`);
  try {
    await compacted(prometheus.url, log);
    const defs = healthPanelDefs(config);
    // Uncompressed answers, as the README recommends for a Prometheus on the BFF's own network
    // (prometheus.compression: false); the default (gzip) is timed beside it below.
    const clientOptions = { url: prometheus.url, thanos: false, timeoutMs: 180_000, maxBodyBytes: 64 * 1024 * 1024 };
    const client = new CountingClient({ ...clientOptions, compression: false });
    const gzipClient = new CountingClient(clientOptions);
    const recorded = recordedQueries(config);
    const fleetBands = fleetBandRecords(config);
    const source = (plan: FleetPlanKind, cache?: QueryCache, bands = false) =>
      new PrometheusHealthSource(client, defs, { recorded, plan, ...(cache && { cache }), ...(bands && { fleetBands }) });
    const raw = new PrometheusHealthSource(client, defs);
    const all = promAccess([{ clusters: names, namespaces: '*' }]);
    // The Platform Admin sees the whole inventory: the recorded fleet bands are tried (and the store check passes).
    const accesses = { namespaces: all, wholeCluster: all, anyViewer: all, everyCluster: true };
    const windowAt = (at: Date) =>
      resolveWindow(
        { range: '24h', width: 800 },
        { now: at, series: CLUSTERS, pointBudget: config.pointBudget, minStep: config.minStepSeconds },
      );
    const window = windowAt(now);
    // Cold: each run a window one step earlier than the last, as a page refreshed step after step would ask (no answer reusable).
    const unique = (run: number) => windowAt(new Date(now.getTime() - (run + 1) * window.step * 1000));
    const same = () => window;

    const say = (mode: string, t: Awaited<ReturnType<typeof timeSet>>) =>
      log(
        `fleet panel set, ${mode}: p50 ${t.p50} ms, p95 ${t.p95} ms; ${t.queries} queries per set; CPU per set: Prometheus ${t.promCpu} ms, BFF ${t.bffCpu} ms (load ${t.load} per core; /proc/loadavg ${t.procLoad})`,
      );
    const time = (s: PrometheusHealthSource, windows: (run: number) => ResolvedWindow) =>
      timeSet(s, client, defs, accesses, windows, prometheus.pid);
    // The default beside the same with each panel asking its own table, band and check (before the batching of table-batch.ts and BandReader), interleaved.
    const [band, tablesApart] = (await timeSets(
      [source('band', undefined, true), new PrometheusHealthSource(client, defs, { recorded, plan: 'band', fleetBands, batch: false })],
      client,
      defs,
      accesses,
      unique,
      prometheus.pid,
      // A set takes a fifth of a second: enough runs for a p95 that is not just the slowest of five.
      20,
    )) as [Awaited<ReturnType<typeof timeSet>>, Awaited<ReturnType<typeof timeSet>>];
    say('recorded fleet band + table + worst (default), uncompressed answers, cold', band);
    say('recorded fleet band + table + worst, each panel on its own (before), uncompressed answers, cold', tablesApart);
    const gzipBand = await timeSet(
      new PrometheusHealthSource(gzipClient, defs, { recorded, plan: 'band', fleetBands }),
      gzipClient,
      defs,
      accesses,
      unique,
      prometheus.pid,
    );
    say('recorded fleet band + table + worst (default), gzip answers (prometheus.compression default), cold', gzipBand);
    // A TTL longer than a set takes on this shared machine: the runs after the first all find their answers.
    const warm = await time(source('band', new QueryCache({ ttlMs: 300_000 }), true), same);
    say('recorded fleet band + table + worst (default), warm (response cache)', warm);
    const enforcedBand = await time(source('band'), unique);
    say('enforced merged band + table + worst (before; what a Tenant Admin gets), cold', enforcedBand);
    const single = await time(source('single'), unique);
    say('one merged query per panel, cold', single);
    const perFigure = await time(source('perFigure'), unique);
    say('one query per band figure (before), cold', perFigure);

    // The naive way: the same nine panels, one query per cluster, timed over a sample and scaled to all.
    const sample = names.filter((_, i) => i % (CLUSTERS / NAIVE_SAMPLE) === 0);
    const jobs = defs.flatMap((def) => sample.map((name) => ({ def, access: promAccess([{ clusters: [name], namespaces: '*' }]) })));
    const naiveStart = performance.now();
    await pool(jobs, 8, ({ def, access }) => raw.series(def, access, window));
    const naiveSample = performance.now() - naiveStart;
    const naive = round((naiveSample * CLUSTERS) / NAIVE_SAMPLE, 1);
    log(
      `one query per cluster: ${jobs.length} queries (${NAIVE_SAMPLE} clusters) in ${round(naiveSample, 1)} ms; × ${CLUSTERS / NAIVE_SAMPLE} = ${naive} ms (${defs.length * CLUSTERS} queries per set)`,
    );

    const label = `${CLUSTERS} clusters, 24 h at ${window.step} s, ${defs.length} panels; baseline one query per cluster (scaled from ${NAIVE_SAMPLE})`;
    const records = [
      record('health', `fleet panel set p95 cold, recording rules, recorded fleet band (recommended), ${label}`, band.p95, 'ms', {
        baseline: naive,
        goal: GOAL_MS,
      }),
      record('health', `fleet panel set p50 cold, recording rules, recorded fleet band`, band.p50, 'ms', { baseline: naive }),
      record(
        'health',
        `fleet panel set p95 cold, recording rules, recorded fleet band, each panel asking on its own (before)`,
        tablesApart.p95,
        'ms',
        {
          baseline: naive,
        },
      ),
      record(
        'health',
        `fleet panel set p95 cold, recording rules, recorded fleet band, gzip answers (compression on)`,
        gzipBand.p95,
        'ms',
        {
          baseline: naive,
        },
      ),
      record('health', `fleet panel set p95 warm (response cache), recording rules, recorded fleet band`, warm.p95, 'ms', {
        baseline: naive,
        goal: GOAL_MS,
      }),
      record('health', `fleet panel set p50 warm (response cache), recording rules, recorded fleet band`, warm.p50, 'ms', {
        baseline: naive,
      }),
      record('health', `fleet panel set p95 cold, recording rules, enforced merged band (before)`, enforcedBand.p95, 'ms', {
        baseline: naive,
      }),
      record('health', `fleet panel set p95 cold, recording rules, one merged query per panel`, single.p95, 'ms', { baseline: naive }),
      record('health', `fleet panel set p95 cold, recording rules, one query per band figure (before)`, perFigure.p95, 'ms', {
        baseline: naive,
      }),
      record('health', 'upstream queries per fleet panel set, recorded fleet band (recommended)', band.queries, 'queries', {
        baseline: perFigure.queries,
      }),
      record('health', 'upstream queries per fleet panel set, warm (response cache)', warm.queries, 'queries', {
        baseline: perFigure.queries,
      }),
      record('health', 'upstream queries per fleet panel set, one merged query per panel', single.queries, 'queries', {
        baseline: perFigure.queries,
      }),
      record('health', 'upstream queries per fleet panel set, one query per cluster (naive)', defs.length * CLUSTERS, 'queries'),
      record(
        'health',
        `machine load during the fleet panel sets (1-min load average per core)`,
        Math.max(band.load, enforcedBand.load, single.load, perFigure.load),
        '×',
      ),
      record('health', 'Prometheus CPU per fleet panel set, recorded fleet band', band.promCpu, 'ms', { baseline: perFigure.promCpu }),
      record(
        'health',
        'Prometheus CPU per fleet panel set, recorded fleet band, each panel asking on its own (before)',
        tablesApart.promCpu,
        'ms',
        {
          baseline: perFigure.promCpu,
        },
      ),
      record('health', 'upstream queries per fleet panel set, each panel asking on its own (before)', tablesApart.queries, 'queries', {
        baseline: perFigure.queries,
      }),
      record('health', 'Prometheus CPU per fleet panel set, enforced merged band', enforcedBand.promCpu, 'ms', {
        baseline: perFigure.promCpu,
      }),
      record('health', 'Prometheus CPU per fleet panel set, one merged query per panel', single.promCpu, 'ms', {
        baseline: perFigure.promCpu,
      }),
      record('health', 'Prometheus CPU per fleet panel set, one query per band figure (before)', perFigure.promCpu, 'ms'),
      record('health', 'Prometheus CPU per fleet panel set, warm (response cache)', warm.promCpu, 'ms'),
      record('health', 'BFF CPU per fleet panel set, recorded fleet band', band.bffCpu, 'ms', { baseline: gzipBand.bffCpu }),
      record('health', 'Prometheus CPU per fleet panel set, recorded fleet band, gzip answers', gzipBand.promCpu, 'ms'),
      record('health', `seeding ${CLUSTERS} clusters × 24 h and backfilling the recording rules (promtool)`, ready, 's'),
    ];
    try {
      records.push(...(await healthBrowserBenchmarks(prometheus.url, config, SYNTHETIC, log)));
    } catch (err) {
      // The panel-set figures above stand on their own; the browser's failure is said, not hidden.
      log(`the Health page browser bench failed: ${(err as Error).message}`);
      records.push(record('health', 'Health page range change → all charts redrawn p95 (failed: see the log)', NaN, 'ms', { goal: 300 }));
    }
    // Last: the slowest, and only a reference (the recorded series are the recommended setup).
    let rawTimes: Awaited<ReturnType<typeof timeSet>> | undefined;
    try {
      rawTimes = await time(raw, unique);
      say('raw expressions summarised by the BFF, cold', rawTimes);
    } catch (err) {
      log(`raw expressions: ${(err as Error).message}`);
    }

    if (rawTimes) {
      records.push(
        record('health', `fleet panel set p95 cold, raw expressions, ${label}`, rawTimes.p95, 'ms', { baseline: naive }),
        record('health', 'Prometheus CPU per fleet panel set, raw expressions', rawTimes.promCpu, 'ms'),
        record('health', 'BFF CPU per fleet panel set, raw expressions', rawTimes.bffCpu, 'ms'),
      );
    }
    return records;
  } finally {
    await prometheus.close();
    rmSync(runDir, { recursive: true, force: true });
  }
}
