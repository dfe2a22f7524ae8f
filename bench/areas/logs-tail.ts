import { browserFetch, type CookieJar } from '../../testbed/src/idp/browser-login.ts';
import { parseSse } from './rollouts-live.ts';
import { benchStream, ns, push, token } from './logs-push.ts';
import type { Person } from './rollouts-setup.ts';

/** Resolves when a frame or event carrying `tok` arrives; rejects after a timeout. */
class TokenWaiters {
  readonly #waiting = new Map<string, (at: number) => void>();
  #failed: Error | undefined;

  wait(tok: string, timeoutMs = 10_000): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (this.#failed) return reject(this.#failed);
      const timer = setTimeout(() => {
        this.#waiting.delete(tok);
        reject(new Error(`line ${tok} did not arrive within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(tok, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  /** Text of a frame arrived: settles every waiter whose token it carries. */
  seen(text: string, at: number): void {
    for (const [tok, resolve] of this.#waiting)
      if (text.includes(tok)) {
        this.#waiting.delete(tok);
        resolve(at);
      }
  }

  fail(err: Error): void {
    this.#failed = err;
  }
}

export interface TailClient {
  wait(tok: string): Promise<number>;
  close(): Promise<void>;
}

/** The stand-in's own tail websocket (what the BFF's Loki client opens), read by the bench directly. */
export async function openStandinTail(lokiUrl: string, query: string): Promise<TailClient> {
  const waiters = new TokenWaiters();
  const url = `${lokiUrl.replace(/^http/, 'ws')}/loki/api/v1/tail?${new URLSearchParams({ query, start: ns(Date.now()) })}`;
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('the stand-in tail did not open')), { once: true });
  });
  ws.addEventListener('message', (e) => waiters.seen(String(e.data), performance.now()));
  ws.addEventListener('close', () => waiters.fail(new Error('the stand-in tail closed')));
  return {
    wait: (tok) => waiters.wait(tok),
    close: async () => {
      const closed = new Promise((r) => ws.addEventListener('close', r, { once: true }));
      ws.close();
      await closed;
    },
  };
}

/** The BFF's `GET /api/logs/tail` as the page's EventSource reads it; resolves once the `ready` event arrived. */
export async function openBffTail(base: string, jar: CookieJar, query: string): Promise<TailClient> {
  const waiters = new TokenWaiters();
  const abort = new AbortController();
  const res = await browserFetch(jar, new URL(`${base}/api/logs/tail?${new URLSearchParams({ query, start: ns(Date.now()) })}`), {
    headers: { accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (!res.ok || !res.body) throw new Error(`GET /api/logs/tail answered ${res.status}: ${await res.text()}`);
  const reader = res.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const loop = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      const at = performance.now();
      const parsed = parseSse(buffer + decoder.decode(value, { stream: true }));
      buffer = parsed.rest;
      for (const m of parsed.messages) {
        if (m.event === 'ready') ready();
        else if (m.event === 'lines') waiters.seen(m.data, at);
        else if (m.event === 'error') waiters.fail(new Error(`the tail ended with an error: ${m.data}`));
      }
    }
    waiters.fail(new Error('the BFF tail stream ended'));
  })();
  await Promise.race([
    isReady,
    loop.then(() => {
      throw new Error('the BFF tail ended before its ready event');
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('no ready event from the BFF tail within 10 s')), 10_000)),
  ]);
  return {
    wait: (tok) => waiters.wait(tok),
    close: async () => {
      abort.abort();
      await loop;
    },
  };
}

export interface PushTarget {
  lokiUrl: string;
  app: string;
  cluster: string;
  namespace: string;
}

/**
 * Push one line with a fresh token → each of `arrived` resolves when its client got it;
 * `n` timed samples after 2 untimed, one push at a time. Clients given together see the
 * same pushes, so their figures compare sample by sample.
 */
export async function pushLatencies(
  target: PushTarget,
  arrived: readonly ((tok: string) => Promise<number>)[],
  n: number,
  gapMs = 100,
): Promise<number[][]> {
  const samples: number[][] = arrived.map(() => []);
  for (let i = 0; i < n + 2; i++) {
    const tok = token('tail');
    const seen = Promise.all(arrived.map((a) => a(tok)));
    const t = performance.now();
    await push(target.lokiUrl, [
      {
        stream: benchStream(target.app, target.cluster, target.namespace),
        values: [[ns(Date.now()), `level=info msg="tail probe" token=${tok}`]],
      },
    ]);
    const at = await seen;
    if (i >= 2) at.forEach((a, k) => samples[k]!.push(a - t));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return samples;
}

/**
 * The naive alternative to a tail: a client polling the BFF's query_range every `periodMs`
 * for the newest lines; resolves when a poll's answer carries the token.
 */
export function pollFor(person: Person, query: string, periodMs: number): (tok: string) => Promise<number> {
  return async (tok) => {
    const deadline = performance.now() + 10_000;
    // A poller's phase is independent of when a line is pushed: start at a random point of its period.
    await new Promise((r) => setTimeout(r, Math.random() * periodMs));
    for (;;) {
      const res = await person.get(
        `/api/loki/api/v1/query_range?${new URLSearchParams({ query, limit: '100', start: ns(Date.now() - 60_000), end: ns(Date.now() + 1000) })}`,
      );
      const text = await res.text();
      if (text.includes(tok)) return performance.now();
      if (performance.now() > deadline) throw new Error(`polling never saw ${tok}`);
      await new Promise((r) => setTimeout(r, periodMs));
    }
  };
}
