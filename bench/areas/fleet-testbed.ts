import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

import { DEFAULT_ACCESS_POLICY } from '../../bff/src/access/policy.ts';
import { resolveScope } from '../../bff/src/access/resolve-scope.ts';
import { fleetTreeJson } from '../../bff/src/domain/fleet-tree.ts';
import { slimObject } from '../../bff/src/sources/informer-inventory.ts';
import { StringPool } from '../../bff/src/sources/kubefleet/liveness.ts';
import { fromMemberCluster, keepMemberCluster, type MemberClusterObject } from '../../bff/src/sources/kubefleet/member-cluster.ts';
import { ImpersonatingClient } from '../../bff/src/sources/kube/impersonating-client.ts';
import { browserFetch, signInThroughProvider, type CookieJar } from '../../testbed/src/idp/browser-login.ts';
import { down, up, type TestbedEnv } from '../../testbed/src/index.ts';
import { kubeClient } from '../../testbed/src/kube/from-env.ts';
import { applySeed } from '../../testbed/src/kube/install.ts';
import { fleetClusters, memberClusterSeed } from '../../testbed/src/kube/seed.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';
import { BFF_NODE_FLAGS } from '../../bff/src/runtime-flags.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const RUN_DIR = join(REPO, '.testbed-bench');
// Clear of the e2e demo server (18080) and the integration tests' BFF (18090).
const PORT = Number(process.env.BENCH_PORT ?? 18082);
const RSS_GOAL_MB = 250;
const BASE = `http://127.0.0.1:${PORT}`;

async function startBff(env: TestbedEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...BFF_NODE_FLAGS, join(REPO, 'bff/src/main.ts')], {
    stdio: 'ignore',
    env: {
      ...process.env,
      PORT: String(PORT),
      LOG_LEVEL: 'warn',
      FLEETDECK_MODE: 'real',
      SESSION_SECRET: 'bench-only-secret-bench-only-secret-0000',
      OIDC_ISSUER_URL: env.oidc.issuer,
      OIDC_CLIENT_ID: env.oidc.clientId,
      OIDC_CLIENT_SECRET: env.oidc.clientSecret,
      OIDC_REDIRECT_URL: `${BASE}/api/auth/callback`,
      OIDC_ALLOW_INSECURE_HTTP: 'true',
      FLEETDECK_INVENTORY_SOURCES: 'kubefleet',
      FLEETDECK_HUB_KUBECONFIG: env.hub.bffKubeconfig,
    },
  });
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`${BASE}/readyz`).catch(() => undefined))?.ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the BFF did not become ready');
}

async function signIn(user: string): Promise<CookieJar> {
  const { callback, jar } = await signInThroughProvider({
    start: new URL(`${BASE}/api/auth/login`),
    user,
    password: 'testbed',
    stopAt: `${BASE}/api/auth/callback`,
  });
  await browserFetch(jar, callback);
  return jar;
}

async function fleetLatencies(jar: CookieJar, n: number, expectCount: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n + 5; i++) {
    const t = performance.now();
    const res = await browserFetch(jar, new URL(`${BASE}/api/fleet`));
    const body = (await res.json()) as { clusterCount: number };
    if (i >= 5) samples.push(performance.now() - t);
    if (body.clusterCount < expectCount) throw new Error(`expected ≥ ${expectCount} clusters, got ${body.clusterCount}`);
  }
  return samples;
}

/** The naive way: list MemberClusters from kube-apiserver on each request, map, scope, serialise. */
async function naiveLatencies(env: TestbedEnv, groups: string[], n: number): Promise<number[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(env.hub.bffKubeconfig);
  const client = new ImpersonatingClient(kc);
  const scope = resolveScope({ user: 'bench', groups }, DEFAULT_ACCESS_POLICY);
  const labels = { tenantLabel: 'client', environmentLabel: 'env' };
  const samples: number[] = [];
  for (let i = 0; i < n + 2; i++) {
    const t = performance.now();
    const res = await client.requestAsSelf<{ items: MemberClusterObject[] }>(
      'GET',
      '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters',
    );
    const now = new Date();
    const clusters = res.body.items.map((o) => fromMemberCluster(o, labels, now)!).filter(Boolean);
    fleetTreeJson({ version: i, clusters, syncedAt: now, errors: [] }, scope);
    if (i >= 2) samples.push(performance.now() - t);
  }
  return samples;
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** V8's collector, for heap figures that count live objects only. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Live heap bytes per item of what `hold` builds from `items` (kept alive until measured). */
function heapPerItem<T>(gc: () => void, items: readonly string[], hold: (json: string) => T): number {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = items.map(hold);
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (held.length !== items.length) throw new Error('unreachable');
  return (after - before) / items.length;
}

/**
 * Heap per cluster of what the inventory holds, on the hub's real MemberClusters (managedFields
 * and all): the slim informer's entry (identity + mapped cluster + liveness, strings pooled)
 * beside the naive one (client-node's makeInformer cache holding the raw object, plus the
 * mapped cluster next to it). Same objects, same process, same run.
 */
async function heapPerClusterBytes(env: TestbedEnv): Promise<{ kept: number; raw: number }> {
  const gc = collector();
  const admin = kubeClient(env, env.hub, 'admin');
  const list = await admin.expectOk<{ items: MemberClusterObject[] }>('GET', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters');
  const items = list.items.map((o) => JSON.stringify(o));
  const labels = { tenantLabel: 'client', environmentLabel: 'env' };
  const now = new Date();
  const raw = heapPerItem(gc, items, (json) => {
    const obj = JSON.parse(json) as MemberClusterObject;
    return [obj, fromMemberCluster(obj, labels, now)];
  });
  const pool = new StringPool();
  const kept = heapPerItem(gc, items, (json) =>
    slimObject(JSON.parse(json) as KubernetesObject & MemberClusterObject, (o) => keepMemberCluster(o, labels, now, pool)),
  );
  return { kept: Math.round(kept), raw: Math.round(raw) };
}

/** Label patch on the hub → the SSE client has the event, p50/p95 over `n` patches. */
async function eventLatencies(env: TestbedEnv, jar: CookieJar, n: number): Promise<number[]> {
  const controller = new AbortController();
  const res = await browserFetch(jar, new URL(`${BASE}/api/events`), { signal: controller.signal });
  const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  const waiting = new Map<string, (t: number) => void>();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (const [stamp, resolve] of waiting) {
        if (buffer.includes(stamp)) {
          waiting.delete(stamp);
          resolve(performance.now());
        }
      }
      if (buffer.length > 1_000_000) buffer = buffer.slice(-100_000);
    }
  })();
  const admin = kubeClient(env, env.hub, 'admin');
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const stamp = `bench-${Date.now()}-${i}`;
    const got = new Promise<number>((resolve) => waiting.set(stamp, resolve));
    const t = performance.now();
    await admin.expectOk('PATCH', '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters/prod-asia', {
      body: { metadata: { labels: { 'fleetdeck.dev/bench': stamp } } },
      contentType: 'application/merge-patch+json',
    });
    const at = await Promise.race([
      got,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error('event not received in 10 s')), 10_000)),
    ]);
    samples.push(at - t);
  }
  controller.abort();
  await pump;
  return samples;
}

/**
 * GET /api/fleet on the testbed's real hub with 1,000 and 5,000 MemberClusters, beside
 * the naive per-request list; BFF memory after sync; hub-change-to-browser latency.
 */
export async function fleetTestbedBenchmarks(log: (line: string) => void): Promise<BenchRecord[]> {
  const out: BenchRecord[] = [];
  const env = await up({ runDir: RUN_DIR, parentPid: process.pid, redirectUris: [`${BASE}/api/auth/callback`] });
  try {
    const base = fleetClusters(new Date()).length;
    let seeded = base;
    const rss = new Map<number, number>();
    for (const total of [1000, 5000]) {
      const t0 = Date.now();
      const extra = fleetClusters(new Date(), total - base).slice(seeded);
      await applySeed(kubeClient(env, env.hub, 'admin'), extra.map(memberClusterSeed), 16);
      seeded = total;
      log(`seeded ${total} MemberClusters (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      const bff = await startBff(env);
      try {
        const admin = await signIn('platform-admin@demo');
        const tenant = await signIn('client-a-admin@demo');
        await fleetLatencies(admin, 1, total); // wait for sync
        rss.set(total, rssKb(bff.pid!));
        out.push(
          record('fleet', `BFF RSS after sync, ${total} clusters (testbed)`, Math.round(rss.get(total)! / 1024), 'MB', {
            goal: RSS_GOAL_MB,
          }),
        );
        for (const [who, jar, groups] of [
          ['platform admin', admin, ['fleet-platform-admins']],
          ['tenant admin', tenant, ['tenant-client-a-admins']],
        ] as const) {
          const ours = await fleetLatencies(jar, total > 2000 ? 40 : 100, who === 'platform admin' ? total : 1);
          const naive = await naiveLatencies(env, [...groups], total > 2000 ? 10 : 25);
          const goal = total === 1000 ? 50 : 200;
          out.push(
            record('fleet', `GET /api/fleet p50, ${who}, ${total} clusters (testbed)`, round(percentile(ours, 50)), 'ms', {
              baseline: round(percentile(naive, 50)),
            }),
          );
          out.push(
            record('fleet', `GET /api/fleet p95, ${who}, ${total} clusters (testbed)`, round(percentile(ours, 95)), 'ms', {
              baseline: round(percentile(naive, 95)),
              goal,
            }),
          );
        }
        const events = await eventLatencies(env, admin, 30);
        out.push(record('fleet', `hub label patch → SSE event p50, ${total} clusters`, round(percentile(events, 50)), 'ms'));
        out.push(record('fleet', `hub label patch → SSE event p95, ${total} clusters`, round(percentile(events, 95)), 'ms', { goal: 300 }));
      } finally {
        bff.kill('SIGTERM');
        await new Promise((r) => bff.once('exit', r));
      }
    }
    // What one more cluster costs the BFF: the RSS slope between the two fleet sizes.
    const perCluster = (rss.get(5000)! - rss.get(1000)!) / 4000;
    out.push(record('fleet', 'BFF RSS per cluster, (5,000 − 1,000) / 4,000 (testbed)', round(perCluster, 1), 'KB'));
    const heap = await heapPerClusterBytes(env);
    log(`heap per cluster: ${heap.kept} B kept by the slim informer, ${heap.raw} B raw object + mapped model`);
    out.push(
      record('fleet', 'inventory heap per cluster, slim informer vs raw object cache (testbed objects)', round(heap.kept / 1024, 2), 'KB', {
        baseline: round(heap.raw / 1024, 2),
      }),
    );
  } finally {
    await down(RUN_DIR);
  }
  return out;
}
