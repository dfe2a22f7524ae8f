import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { fleetTestbedBenchmarks } from './areas/fleet-testbed.ts';
import { fleetBenchmarks } from './areas/fleet.ts';
import { healthPanelBenchmarks } from './areas/health-panels.ts';
import { promqlBenchmarks } from './areas/promql.ts';
import { webBenchmarks } from './areas/web.ts';
import { formatTable, type BenchRecord } from './lib/record.ts';

/** Every area the benchmarks cover; areas whose features have not landed yet have none. */
const AREAS: Record<string, (() => Promise<BenchRecord[]>) | undefined> = {
  fleet: async () => [...(await fleetBenchmarks()), ...(await fleetTestbedBenchmarks((l) => console.log(`  ${l}`)))],
  // Issue 10: 1,000 clusters and 50 staged update runs on a testbed hub, each figure beside the naive per-request hub read.
  rollouts: async () => (await import('./areas/rollouts.ts')).rolloutsBenchmarks((l) => console.log(`  ${l}`)),
  violations: async () => (await import('./areas/violations.ts')).violationsBenchmarks((l) => console.log(`  ${l}`)),
  // The PromQL enforcer, and the fleet panel set (1,000 clusters) beside one query per cluster.
  health: async () => [...promqlBenchmarks(), ...(await healthPanelBenchmarks((l) => console.log(`  ${l}`)))],
  // Issue 13: the LogQL enforcer, then a 5,000-line query through the BFF beside a direct call, push → tail → page, 100,000 lines scrolled.
  logs: async () => (await import('./areas/logs.ts')).logsBenchmarks((l) => console.log(`  ${l}`)),
  web: webBenchmarks,
  // Issue 15: the deliveries page for 1,000 clusters × 20 GitRepos and 5,000 Argo CD apps, beside listing from a testbed hub per request.
  gitops: async () => (await import('./areas/gitops.ts')).gitopsBenchmarks((l) => console.log(`  ${l}`)),
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only;
if (only !== undefined && !(only in AREAS)) {
  console.error(`unknown area "${only}"; expected one of ${Object.keys(AREAS).join(', ')}`);
  process.exit(2);
}

const records: BenchRecord[] = [];
for (const [area, run] of Object.entries(AREAS)) {
  if (only !== undefined && area !== only) continue;
  if (!run) {
    console.log(`${area}: no benchmarks yet`);
    continue;
  }
  console.log(`${area}: running…`);
  records.push(...(await run()));
}

const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL('latest.jsonl', resultsDir), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log(`\n${formatTable(records)}\n\nwrote ${records.length} figures to bench/results/latest.jsonl`);
const missed = records.filter((r) => r.met === false);
if (missed.length > 0) console.log(`goals missed: ${missed.map((r) => r.name).join('; ')}`);
