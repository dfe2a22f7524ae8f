import type { RolloutEvent, RolloutSummary } from '@fleetdeck/shared';

import { browserFetch, type CookieJar } from '../../testbed/src/idp/browser-login.ts';

export interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

/** Splits an SSE byte stream's text into complete messages; returns them and the unfinished rest. */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0 || id !== undefined) messages.push({ event, ...(id !== undefined && { id }), data: data.join('\n') });
  }
  return { messages, rest };
}

interface Waiter {
  id: string;
  match: (r: RolloutSummary) => boolean;
  resolve: (at: number) => void;
  reject: (err: Error) => void;
}

/**
 * One person's live stream, as a browser tab holds it: reconnects with Last-Event-ID
 * when the BFF ends it (it does every minute, to re-check access), so nothing is missed.
 * `waitFor` resolves with the time an upsert for a rollout matching a predicate arrived.
 */
export class RolloutStream {
  readonly #base: string;
  readonly #jar: CookieJar;
  readonly #waiters = new Set<Waiter>();
  readonly #abort = new AbortController();
  #lastId: string | undefined;
  #closed = false;
  #failed: Error | undefined;
  #loop: Promise<void> | undefined;

  private constructor(base: string, jar: CookieJar) {
    this.#base = base;
    this.#jar = jar;
  }

  static async open(base: string, jar: CookieJar): Promise<RolloutStream> {
    const s = new RolloutStream(base, jar);
    let ready!: () => void;
    const first = new Promise<void>((r) => (ready = r));
    // A stream that fails rejects whoever waits on it (and `open`), never the process.
    s.#loop = s.#run(ready).catch((err: unknown) => {
      s.#failed = err instanceof Error ? err : new Error(String(err));
      for (const w of s.#waiters) w.reject(s.#failed);
      s.#waiters.clear();
    });
    await Promise.race([
      first,
      s.#loop.then(() => {
        throw s.#failed ?? new Error('the live stream ended before it was ready');
      }),
    ]);
    return s;
  }

  async #run(ready: () => void): Promise<void> {
    while (!this.#closed) {
      const headers: Record<string, string> = this.#lastId ? { 'last-event-id': this.#lastId } : {};
      const res = await browserFetch(this.#jar, new URL(`${this.#base}/api/events`), { headers, signal: this.#abort.signal }).catch(
        () => undefined,
      );
      if (!res?.ok || !res.body) {
        if (this.#closed) return;
        throw new Error(`the live stream answered ${res?.status ?? 'nothing'}`);
      }
      const reader = res.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        const parsed = parseSse(buffer + decoder.decode(value, { stream: true }));
        buffer = parsed.rest;
        for (const m of parsed.messages) this.#handle(m, ready);
      }
    }
  }

  #handle(m: SseMessage, ready: () => void): void {
    const at = performance.now();
    if (m.id !== undefined) this.#lastId = m.id;
    if (m.event === 'ready') ready();
    if (m.event !== 'rollout') return;
    const ev = JSON.parse(m.data) as RolloutEvent;
    if (ev.type !== 'upsert') return;
    for (const w of this.#waiters) {
      if (w.id === ev.rollout.id && w.match(ev.rollout)) {
        this.#waiters.delete(w);
        w.resolve(at);
      }
    }
  }

  /** Register before causing the change; resolves with the arrival time, rejects after `timeoutMs`. */
  waitFor(id: string, match: (r: RolloutSummary) => boolean, timeoutMs = 10_000): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (this.#failed) return reject(this.#failed);
      const timer = setTimeout(() => {
        this.#waiters.delete(w);
        reject(new Error(`no matching rollout event for ${id} in ${timeoutMs} ms`));
      }, timeoutMs);
      const w: Waiter = {
        id,
        match,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.#waiters.add(w);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    await this.#loop?.catch(() => undefined);
  }
}
