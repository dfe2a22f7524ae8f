import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestbedEnv } from './env.ts';
import { tail } from './proc/service.ts';

export type { TestbedEnv, ApiServerEnv, KubeUserCreds } from './env.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
// TESTBED_RUN_DIR lets two test runs on one machine keep separate testbeds.
export const DEFAULT_RUN_DIR = process.env.TESTBED_RUN_DIR ?? join(REPO, '.testbed');
const DAEMON = fileURLToPath(new URL('./daemon.ts', import.meta.url));

export interface UpOptions {
  runDir?: string;
  /** The daemon stops by itself when this process is gone (tests pass their own pid). */
  parentPid?: number;
  secondsPerCluster?: number;
  redirectUris?: string[];
  /** How long to wait, including a cold build of kube-apiserver and etcd. */
  timeoutMs?: number;
  onLog?: (line: string) => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** PIDs still in a process group (from ps), so `down` can prove nothing was left behind. */
export function processGroupMembers(pgid: number): number[] {
  const r = spawnSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

async function waitGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processGroupMembers(pgid).length === 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return processGroupMembers(pgid).length === 0;
}

/** Stops a testbed started in `runDir` (the daemon and its whole process group). Idempotent. */
export async function down(runDir = DEFAULT_RUN_DIR): Promise<{ stopped: boolean; leftovers: number[] }> {
  const pidFile = join(runDir, 'daemon.pid');
  if (!existsSync(pidFile)) return { stopped: false, leftovers: [] };
  const pgid = Number(readFileSync(pidFile, 'utf8'));
  let stopped = false;
  if (processGroupMembers(pgid).length > 0) {
    stopped = true;
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      // Already gone between the check and the kill.
    }
    if (!(await waitGone(pgid, 15_000))) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Gone.
      }
      await waitGone(pgid, 5_000);
    }
  }
  rmSync(pidFile, { force: true });
  return { stopped, leftovers: processGroupMembers(pgid) };
}

/**
 * Starts the testbed (building kube-apiserver and etcd first if the cache is cold) and
 * resolves with its connection details. A stale testbed in the same run dir is stopped
 * first. Fails with the daemon's own words when any part cannot start.
 */
export async function up(options: UpOptions = {}): Promise<TestbedEnv> {
  const runDir = options.runDir ?? DEFAULT_RUN_DIR;
  await down(runDir);
  const dataDir = join(runDir, 'run');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(runDir, 'daemon.log');
  const fd = openSync(logFile, 'w');
  const args = [DAEMON, '--run-dir', dataDir, '--seconds-per-cluster', String(options.secondsPerCluster ?? 0.5)];
  if (options.parentPid) args.push('--parent', String(options.parentPid));
  for (const uri of options.redirectUris ?? []) args.push('--redirect-uri', uri);
  // Its own process group: one kill(-pgid) ends the daemon and every server it started.
  // Its output goes to a file, never a pipe, so it outlives a CLI that has exited.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  writeFileSync(join(runDir, 'daemon.pid'), String(child.pid));
  let exitCode: number | string | undefined;
  child.on('exit', (code, signal) => (exitCode = code ?? signal ?? 'unknown'));
  child.unref();

  const envFile = join(dataDir, 'env.json');
  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  let shown = 0;
  for (;;) {
    if (options.onLog) {
      const text = readFileSync(logFile, 'utf8');
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      for (const line of complete.slice(shown).split('\n').filter(Boolean)) options.onLog(line);
      shown = complete.length;
    }
    if (existsSync(envFile)) break;
    if (exitCode !== undefined) throw new Error(`testbed failed to start (daemon exit ${exitCode}):\n${tail(logFile, 40)}`);
    if (Date.now() > deadline) {
      await down(runDir);
      throw new Error(`testbed not ready after ${options.timeoutMs ?? 3_600_000} ms:\n${tail(logFile, 40)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const text = readFileSync(envFile, 'utf8');
  // The documented place for people and scripts: .testbed/env.json.
  writeFileSync(join(runDir, 'env.json'), text);
  return JSON.parse(text) as TestbedEnv;
}

export function readEnv(runDir = DEFAULT_RUN_DIR): TestbedEnv {
  const file = join(runDir, 'run', 'env.json');
  if (!existsSync(file)) throw new Error(`no testbed is running in ${runDir} (run "npm run testbed -- up")`);
  return JSON.parse(readFileSync(file, 'utf8')) as TestbedEnv;
}

export { alive };
