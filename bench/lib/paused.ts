import { readFileSync } from 'node:fs';

/** A process's state letter from /proc (S sleeping, R running, T stopped, …). */
export const stateOf = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0]!;

/**
 * Runs `fn` with the given processes stopped (SIGSTOP) and continues them (SIGCONT)
 * afterwards, also when `fn` throws. For the browser's frame figures: the testbed's API
 * servers, etcd, Prometheus and controllers share this machine's two cores with Chromium
 * but take no part in scrolling a list the page already holds, and on a person's machine
 * they do not run beside their browser. Stopped, not killed: their connections stay, and
 * they carry on where they were.
 */
export async function whilePaused<T>(pids: readonly number[], fn: () => Promise<T>): Promise<T> {
  const stopped: number[] = [];
  try {
    for (const pid of pids) {
      process.kill(pid, 'SIGSTOP');
      stopped.push(pid);
    }
    // A signal is delivered when its process is next scheduled: wait until each one is stopped.
    for (const pid of pids) {
      for (let waited = 0; stateOf(pid) !== 'T'; waited += 5) {
        if (waited >= 2000) throw new Error(`process ${pid} did not stop within 2 s of SIGSTOP`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    return await fn();
  } finally {
    for (const pid of stopped) process.kill(pid, 'SIGCONT');
  }
}
