import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A server process the testbed started, with its log file and a way to stop it. */
export interface Service {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnService(
  name: string,
  cmd: string,
  args: string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Service {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: options.env ?? process.env, cwd: options.cwd });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  const pid = child.pid;
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? 'unknown');
    });
    child.on('error', (err) => {
      done = true;
      resolve(`error: ${err.message}`);
    });
  });
  return {
    name,
    pid,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 5000) {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls `check` until it holds. On timeout, or when the service dies first, fails
 * with the reason and the last lines of the service's log, never silently.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; service?: Service; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let exitedWith: number | string | undefined;
  void options.service?.exited.then((code) => (exitedWith = code));
  let lastError = '';
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(
        `${what}: ${options.service!.name} exited (${exitedWith}) before it was ready. Last log lines:\n${tail(options.service!.logFile)}`,
      );
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
  const log = options.service ? `\nLast log lines of ${options.service.name}:\n${tail(options.service.logFile)}` : '';
  throw new Error(`${what}: not ready after ${options.timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}${log}`);
}

/** A free TCP port on loopback (the OS picks; we release it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
