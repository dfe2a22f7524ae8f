import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import type { HealthPanelDef } from '@fleetdeck/shared';

import { promAccess } from '../../bff/src/access/promql/index.ts';
import { fleetPanelSet } from '../../bff/src/sources/health/fleet-panels.ts';
import { PrometheusHealthSource } from '../../bff/src/sources/health/health-source.ts';
import { HealthConfig } from '../../bff/src/sources/health/panel-config.ts';
import { healthPanelDefs } from '../../bff/src/sources/health/panel-defs.ts';
import { recordedQueries, recordingRulesFile } from '../../bff/src/sources/health/recording-rules.ts';
import { resolveWindow, type ResolvedWindow } from '../../bff/src/sources/health/window.ts';
import { PrometheusClient } from '../../bff/src/sources/prometheus/prometheus-client.ts';
import { startPrometheus } from '../../testbed/src/prom/start.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';

const CLUSTERS = 1000;
const RUNS = 5;
/** The naive way is timed over this many clusters and scaled to all (9,000 queries would take minutes on a shared machine). */
const NAIVE_SAMPLE = 100;
const GOAL_MS = 400;
/** Seeded at five-minute resolution: 1,000 clusters' day in a few million samples, imported in minutes. */
const STEP_SECONDS = 300;

/** 1-min load average per core: above 1, processes waited for a core (the machine is shared). */
const machineLoad = () => round(loadavg()[0]! / availableParallelism(), 2);

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

/** The panel set `RUNS` times after a warm-up, checked for errors and missing clusters; p50/p95 in ms. */
async function timeSet(
  source: PrometheusHealthSource,
  defs: readonly HealthPanelDef[],
  accesses: Accesses,
  window: ResolvedWindow,
  prometheusPid: number,
) {
  const once = async () => {
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
  await once(); // warm-up: Prometheus' caches, our JIT
  const samples: number[] = [];
  const promCpu = cpuSeconds(prometheusPid);
  const ownCpu = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) samples.push(await once());
  const own = process.cpuUsage(ownCpu);
  return {
    p50: round(percentile(samples, 50), 1),
    p95: round(percentile(samples, 95), 1),
    load: machineLoad(),
    /** CPU ms per set: Prometheus', and the BFF's (this process). */
    promCpu: round(((cpuSeconds(prometheusPid) - promCpu) * 1000) / RUNS, 0),
    bffCpu: round((own.user + own.system) / 1000 / RUNS, 0),
  };
}

/**
 * The fleet panel set for 1,000 clusters over 24 h, on a Prometheus of its own seeded with the
 * testbed's generator and the recording rules backfilled by promtool: all nine panels, each
 * enforced and summarised by Prometheus (band, table, worst clusters), as the Platform Admin
 * (one group of 1,000 clusters) — on the raw expressions and on the recorded series. Beside
 * it, in the same run, the naive way: one query per cluster per panel (8 at a time).
 */
export async function healthPanelBenchmarks(log: (line: string) => void): Promise<BenchRecord[]> {
  const runDir = join(tmpdir(), `fleetdeck-bench-health-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const names = Array.from({ length: CLUSTERS }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
  const clusters = names.map((name, i) => ({ name, tenant: `tenant-${i % 20}`, env: ['production', 'staging', 'dev'][i % 3]!, nodes: 2 }));
  // Five-minute data: rate windows of three samples, rules evaluated at the data's resolution.
  const config = HealthConfig.parse({ rateWindow: '15m', lastSyncResolution: '15m', minStepSeconds: STEP_SECONDS });
  const rulesFile = join(runDir, 'rules.json');
  writeFileSync(rulesFile, JSON.stringify(recordingRulesFile(config, `${STEP_SECONDS}s`)));
  const now = new Date();
  log(`seeding ${CLUSTERS} clusters × 24 h at ${STEP_SECONDS} s into a bench Prometheus, recording rules backfilled by promtool…`);
  const t0 = performance.now();
  const prometheus = await startPrometheus({
    runDir,
    clusters,
    now,
    hours: 24,
    stepSeconds: STEP_SECONDS,
    recordingRules: rulesFile,
  });
  const ready = Math.round((performance.now() - t0) / 1000);
  log(`seeded and ready in ${ready} s, of which ${prometheus.backfillSeconds} s backfilling the 9 rules; load ${machineLoad()} per core`);
  try {
    await compacted(prometheus.url, log);
    const defs = healthPanelDefs(config);
    const client = new PrometheusClient({ url: prometheus.url, thanos: false, timeoutMs: 60_000, maxBodyBytes: 64 * 1024 * 1024 });
    const raw = new PrometheusHealthSource(client, defs);
    const recorded = new PrometheusHealthSource(client, defs, { recorded: recordedQueries(config) });
    const all = promAccess([{ clusters: names, namespaces: '*' }]);
    const accesses = { namespaces: all, wholeCluster: all, anyViewer: all };
    const window = resolveWindow(
      { range: '24h', width: 800 },
      { now, series: CLUSTERS, pointBudget: config.pointBudget, minStep: config.minStepSeconds },
    );

    const say = (mode: string, t: Awaited<ReturnType<typeof timeSet>>) =>
      log(
        `fleet panel set, ${mode}: p50 ${t.p50} ms, p95 ${t.p95} ms; CPU per set: Prometheus ${t.promCpu} ms, BFF ${t.bffCpu} ms (load ${t.load} per core)`,
      );
    const recTimes = await timeSet(recorded, defs, accesses, window, prometheus.pid);
    say('recording rules', recTimes);
    // Prometheus' work is clusters × steps per band figure: the same set at a quarter of the point budget.
    const coarse = resolveWindow(
      { range: '24h', width: 800 },
      { now, series: CLUSTERS, pointBudget: 100_000, minStep: config.minStepSeconds },
    );
    const coarseTimes = await timeSet(recorded, defs, accesses, coarse, prometheus.pid);
    say(`recording rules at a ${coarse.step} s step (pointBudget 100,000)`, coarseTimes);
    const rawTimes = await timeSet(raw, defs, accesses, window, prometheus.pid);
    say('raw expressions', rawTimes);

    // The naive way: the same nine panels, one query per cluster, timed over a sample and scaled to all.
    const sample = names.filter((_, i) => i % (CLUSTERS / NAIVE_SAMPLE) === 0);
    const jobs = defs.flatMap((def) => sample.map((name) => ({ def, access: promAccess([{ clusters: [name], namespaces: '*' }]) })));
    const naiveStart = performance.now();
    await pool(jobs, 8, ({ def, access }) => raw.series(def, access, window));
    const naiveSample = performance.now() - naiveStart;
    const naive = round((naiveSample * CLUSTERS) / NAIVE_SAMPLE, 1);
    log(
      `one query per cluster: ${jobs.length} queries (${NAIVE_SAMPLE} clusters) in ${round(naiveSample, 1)} ms; × ${CLUSTERS / NAIVE_SAMPLE} = ${naive} ms`,
    );

    const label = `${CLUSTERS} clusters, 24 h at ${window.step} s, 9 panels; baseline one query per cluster (scaled from ${NAIVE_SAMPLE})`;
    return [
      record('health', `fleet panel set p95, recording rules (recommended), ${label}`, recTimes.p95, 'ms', {
        baseline: naive,
        goal: GOAL_MS,
      }),
      record('health', `fleet panel set p95, raw expressions, ${label}`, rawTimes.p95, 'ms', { baseline: naive }),
      record(
        'health',
        `machine load during the fleet panel sets (1-min load average per core)`,
        Math.max(rawTimes.load, recTimes.load),
        '×',
      ),
      record('health', `fleet panel set p95, recording rules at a ${coarse.step} s step (pointBudget 100,000)`, coarseTimes.p95, 'ms', {
        baseline: naive,
      }),
      record('health', `Prometheus CPU per fleet panel set, recording rules at a ${coarse.step} s step`, coarseTimes.promCpu, 'ms'),
      record('health', 'Prometheus CPU per fleet panel set, recording rules', recTimes.promCpu, 'ms'),
      record('health', 'BFF CPU per fleet panel set, recording rules', recTimes.bffCpu, 'ms'),
      record('health', 'Prometheus CPU per fleet panel set, raw expressions', rawTimes.promCpu, 'ms'),
      record('health', 'BFF CPU per fleet panel set, raw expressions', rawTimes.bffCpu, 'ms'),
      record('health', `seeding ${CLUSTERS} clusters × 24 h and backfilling the recording rules (promtool)`, ready, 's'),
    ];
  } finally {
    await prometheus.close();
    rmSync(runDir, { recursive: true, force: true });
  }
}
