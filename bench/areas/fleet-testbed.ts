import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { KubeConfig } from '@kubernetes/client-node';

import { DEFAULT_ACCESS_POLICY } from '../../bff/src/access/policy.ts';
import { resolveScope } from '../../bff/src/access/resolve-scope.ts';
import { fleetTreeJson } from '../../bff/src/routes/fleet.ts';
import { fromMemberCluster, type MemberClusterObject } from '../../bff/src/sources/kubefleet/member-cluster.ts';
import { ImpersonatingClient } from '../../bff/src/sources/kube/impersonating-client.ts';
import { browserFetch, signInThroughProvider, type CookieJar } from '../../testbed/src/idp/browser-login.ts';
import { down, up, type TestbedEnv } from '../../testbed/src/index.ts';
import { kubeClient } from '../../testbed/src/kube/from-env.ts';
import { applySeed } from '../../testbed/src/kube/install.ts';
import { fleetClusters, memberClusterSeed } from '../../testbed/src/kube/seed.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const RUN_DIR = join(REPO, '.testbed-bench');
const PORT = 18080;
const BASE = `http://127.0.0.1:${PORT}`;

async function startBff(env: TestbedEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(REPO, 'bff/src/main.ts')], {
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

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
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
        out.push(record('fleet', `BFF RSS after sync, ${total} clusters (testbed)`, rssMb(bff.pid!), 'MB', { goal: 300 }));
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
  } finally {
    await down(RUN_DIR);
  }
  return out;
}
