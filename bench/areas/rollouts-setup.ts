import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { browserFetch, signInThroughProvider, type CookieJar } from '../../testbed/src/idp/browser-login.ts';
import type { TestbedEnv } from '../../testbed/src/index.ts';
import { startTestbedBff } from '../lib/testbed-bff.ts';

/** The rollouts bench's BFF: real mode on the testbed hub, serving the built SPA, on its own port. */
export function startBff(env: TestbedEnv, repo: string, port: number, staticDir: string): Promise<ChildProcess> {
  return startTestbedBff(env, repo, port, staticDir, {
    label: 'rollouts',
    // BENCH_CPU_PROF=<dir>: the BFF writes a V8 CPU profile there when it stops, to see where its time goes.
    nodeFlags: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
    // BENCH_BFF_DIR=<dir>: run the BFF of another copy (e.g. `git archive <rev> bff` with its node_modules linked),
    // to measure a before and an after on the same testbed setup.
    ...(process.env.BENCH_BFF_DIR !== undefined && { bffDir: process.env.BENCH_BFF_DIR }),
    // Up to 3 minutes: on a loaded shared machine the first sync of 1,000 clusters and 50 runs can take over one.
    readyTimeoutMs: 180_000,
  });
}

export async function stopBff(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Stops the testbed's KubeFleet controller stand-in (a process of the testbed this bench
 * started, found among its pids by its command line). The bench acts as the controller:
 * its runs are written already initialised and it changes their status itself, so the
 * stand-in would only fight those writes (it recomputes every run each 250 ms) and, at
 * 1,000 clusters, take a core of this 2-core machine away from what is measured.
 */
export function stopControllerStandIn(env: TestbedEnv): number {
  for (const pid of env.pids) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.includes('controller/main.ts') && !cmd.includes('bundles')) {
      process.kill(pid, 'SIGTERM');
      return pid;
    }
  }
  throw new Error('the KubeFleet controller stand-in was not found among the testbed processes');
}

/** A signed-in person: their cookies and CSRF token, as a browser tab of theirs would hold them. */
export interface Person {
  jar: CookieJar;
  csrf: string;
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
}

export async function signIn(base: string, user: string): Promise<Person> {
  const { callback, jar } = await signInThroughProvider({
    start: new URL(`${base}/api/auth/login`),
    user,
    password: 'testbed',
    stopAt: `${base}/api/auth/callback`,
  });
  await browserFetch(jar, callback);
  const me = await browserFetch(jar, new URL(`${base}/api/me`));
  if (!me.ok) throw new Error(`sign-in as ${user} failed: /api/me answered ${me.status}`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  return {
    jar,
    csrf: csrfToken,
    get: (path) => browserFetch(jar, new URL(`${base}${path}`)),
    post: (path, body) =>
      browserFetch(jar, new URL(`${base}${path}`), {
        method: 'POST',
        headers: { origin: base, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

/** The session cookies of a person, for a browser context on the same origin. */
export function cookiesOf(jar: CookieJar, base: string): { name: string; value: string; url: string }[] {
  return jar
    .header(new URL(base))
    .split('; ')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: base };
    });
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no RSS for ${pid}`);
  return Math.round(Number(m[1]) / 1024);
}
