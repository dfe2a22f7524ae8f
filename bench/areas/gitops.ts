import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { reachOf } from '../../bff/src/access/deliveries/delivery-reach.ts';
import { DEFAULT_ACCESS_POLICY } from '../../bff/src/access/policy.ts';
import { resolveScope } from '../../bff/src/access/resolve-scope.ts';
import { DemoInventory } from '../../bff/src/sources/demo/demo-inventory.ts';
import { Browser, startDemoBff } from '../../bff/test/helpers/demo-client.ts';
import { down, up } from '../../testbed/src/index.ts';
import { kubeClient } from '../../testbed/src/kube/from-env.ts';
import { applySeed } from '../../testbed/src/kube/install.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';
import { hubSeed, listAll } from './gitops-hub.ts';
import { APPS, BenchSource, REPOS } from './gitops-synthetic.ts';

const CLUSTERS = 1000;
const RUNS = 40;
const NAIVE_RUNS = 5;
/** The hub the naive way reads: 25,000 objects at full size (seeded in about 1.5 min); BENCH_GITOPS_HUB_CLUSTERS=200 seeds a fifth, 0 skips it. */
const HUB_CLUSTERS = Number(process.env.BENCH_GITOPS_HUB_CLUSTERS ?? CLUSTERS);
const RUN_DIR = process.env.BENCH_GITOPS_RUN_DIR ?? '/tmp/tb-gviews';
const PERSONAS = [
  ['Platform Admin', 'platform-admin@demo', ['fleet-platform-admins']],
  ['Tenant Admin', 'client-a-admin@demo', ['tenant-client-a-admins']],
] as const;

async function timed(runs: number, once: () => Promise<unknown>): Promise<number[]> {
  await once();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await once();
    out.push(performance.now() - t);
  }
  return out;
}
const p95 = (s: number[]) => round(percentile(s, 95), 1);

/** Median CPU time (user + system) of the process per call: unlike wall time it hardly moves with other processes' load. */
async function cpuMs(runs: number, once: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    await once();
    const d = process.cpuUsage(before);
    samples.push((d.user + d.system) / 1000);
  }
  return round(percentile(samples, 50), 1);
}
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function gcNow(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function get(b: Browser, path: string): Promise<string> {
  const res = await b.fetch(path);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text;
}

/**
 * Issue 15: the deliveries page's first page for 1,000 clusters × 20 GitRepos (20,000
 * targets) and 5,000 Argo CD apps at the source seam, through the real BFF over HTTP, for a
 * Platform Admin and a Tenant Admin; "cold" replaces one GitRepo first (no cached answer).
 * Beside it, the naive way on the testbed's real kube-apiserver: list GitRepos, Bundles,
 * BundleDeployments and Applications per request, then cut to the person and page (a lower
 * bound: none of the sources' mapping is done). RSS: the BFF process before and after
 * holding the deliveries and answering.
 */
export async function gitopsBenchmarks(log: (line: string) => void): Promise<BenchRecord[]> {
  const inventory = new DemoInventory({ syntheticClusters: CLUSTERS - 20 });
  const source = new BenchSource();
  const bff = await startDemoBff({}, { inventory, deliveries: [source] });
  const out: BenchRecord[] = [];
  const coldByPersona = new Map<string, { what: string; p95: number }>();
  // Read now: the inventory stops with the BFF.
  const allClusters = inventory.snapshot().clusters;
  try {
    const clusters = allClusters.slice(0, CLUSTERS);
    const first = new Browser(bff.url);
    await first.signIn(PERSONAS[0][1]);
    await get(first, '/api/deliveries?limit=100');
    gcNow();
    const { rss: rss0, heapUsed: heap0 } = process.memoryUsage();
    source.load(clusters);
    const PAGE = '/api/deliveries?limit=100';
    for (const [label, user] of PERSONAS) {
      const b = new Browser(bff.url);
      await b.signIn(user);
      const rows = JSON.parse(await get(b, PAGE)) as { total: number };
      const cold = await timed(RUNS, () => (source.change(), get(b, PAGE)));
      const warm = await timed(RUNS, () => get(b, PAGE));
      const what = `${label} (${rows.total} deliveries visible), ${CLUSTERS} clusters × ${REPOS} GitRepos + ${APPS} Argo CD apps`;
      log(`first page of 100, ${what}: cold p95 ${p95(cold)} ms, warm p95 ${p95(warm)} ms`);
      coldByPersona.set(label, { what, p95: p95(cold) });
      const cpu = await cpuMs(RUNS, () => (source.change(), get(b, PAGE)));
      log(`  CPU per request after one GitRepo changed (median, whole process incl. the change): ${cpu} ms; load average ${loadavg()}`);
      out.push(
        record('gitops', `GET /api/deliveries first page, CPU time per request after one GitRepo changed (median), ${what}`, cpu, 'ms'),
      );
      out.push(record('gitops', `GET /api/deliveries first page p95, cached answer, ${what}`, p95(warm), 'ms', { goal: 100 }));
    }
    gcNow();
    const mem = process.memoryUsage();
    const rssMb = round((mem.rss - rss0) / 1024 / 1024, 1);
    const heapMb = round((mem.heapUsed - heap0) / 1024 / 1024, 1);
    log(`BFF memory added by holding ${REPOS * CLUSTERS + APPS} targets and answering: RSS +${rssMb} MiB, heap +${heapMb} MiB`);
    out.push(record('gitops', `BFF RSS added by holding ${REPOS * CLUSTERS} GitRepo targets + ${APPS} apps and answering`, rssMb, 'MiB'));
    out.push(record('gitops', `BFF heap added by holding ${REPOS * CLUSTERS} GitRepo targets + ${APPS} apps and answering`, heapMb, 'MiB'));
  } finally {
    await bff.close();
  }

  // The naive way, on a real kube-apiserver (BENCH_GITOPS_HUB_CLUSTERS=0: not this time).
  if (HUB_CLUSTERS === 0) {
    for (const { what, p95: value } of coldByPersona.values())
      out.unshift(record('gitops', `GET /api/deliveries first page p95, no cached answer, ${what}`, value, 'ms', { goal: 100 }));
    return out;
  }
  const hubClusters = allClusters.slice(0, HUB_CLUSTERS);
  const hubApps = Math.round((APPS * HUB_CLUSTERS) / CLUSTERS);
  log(`starting the testbed in ${RUN_DIR} and seeding ${REPOS * HUB_CLUSTERS} BundleDeployments + ${hubApps} Applications…`);
  const env = await up({ runDir: RUN_DIR, parentPid: process.pid });
  try {
    const client = kubeClient(env, env.hub, 'admin');
    const seedStart = performance.now();
    await applySeed(client, hubSeed(hubClusters, hubApps), 16);
    log(`seeded in ${round((performance.now() - seedStart) / 1000, 1)} s`);
    const F = '/apis/fleet.cattle.io/v1alpha1';
    for (const [label, user, groups] of PERSONAS) {
      const reach = reachOf(resolveScope({ user, groups: [...groups] }, DEFAULT_ACCESS_POLICY), hubClusters);
      const naive = await timed(NAIVE_RUNS, async () => {
        const [, , bds, apps] = await Promise.all([
          listAll(client, `${F}/gitrepos`),
          listAll(client, `${F}/bundles`),
          listAll(client, `${F}/bundledeployments`),
          listAll(client, '/apis/argoproj.io/v1alpha1/applications'),
        ]);
        const repos = new Set(
          bds
            .filter((b) => reach.clusters.has(b.metadata.labels?.['fleet.cattle.io/cluster'] ?? ''))
            .map((b) => b.metadata.labels!['fleet.cattle.io/bundle-name']!),
        );
        const visible = [...repos, ...apps.filter((a) => reach.clusters.has(a.spec?.destination?.name ?? '')).map((a) => a.metadata.name)];
        return JSON.stringify(visible.sort().slice(0, 100));
      });
      const what = `${label}, hub with ${REPOS} GitRepos, ${REPOS * HUB_CLUSTERS} BundleDeployments (${HUB_CLUSTERS} clusters), ${hubApps} Applications`;
      log(`naive per-request hub list, ${what}: p95 ${p95(naive)} ms`);
      out.push(record('gitops', `naive: list from the hub per request (no mapping) p95, ${what}`, p95(naive), 'ms'));
      // Beside ours only when the hub holds the same number of objects.
      const ours = coldByPersona.get(label)!;
      out.unshift(
        record('gitops', `GET /api/deliveries first page p95, no cached answer, ${ours.what}`, ours.p95, 'ms', {
          goal: 100,
          ...(HUB_CLUSTERS === CLUSTERS && { baseline: p95(naive) }),
        }),
      );
    }
  } finally {
    await down(RUN_DIR);
  }
  return out;
}
