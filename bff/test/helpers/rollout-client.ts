import { CSRF_HEADER, type Principal } from '@fleetdeck/shared';

import { forgeSessionCookie } from './forge-session.ts';

/**
 * One signed-in person against a running BFF (forged session cookie, so any group set
 * works): JSON GETs, CSRF-carrying POSTs, and the live-event stream.
 */
export class Person {
  readonly base: string;
  readonly cookie: string;
  readonly csrf: string;
  /** The `Origin` POSTs carry: the BFF's public origin (real mode: the OIDC redirect URL's). */
  readonly origin: string;

  private constructor(base: string, cookie: string, csrf: string, origin: string) {
    this.base = base;
    this.cookie = cookie;
    this.csrf = csrf;
    this.origin = origin;
  }

  static async signIn(base: string, principal: Principal, options: { origin?: string } = {}): Promise<Person> {
    const cookie = await forgeSessionCookie(principal);
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as { csrfToken: string };
    return new Person(base, cookie, me.csrfToken, options.origin ?? base);
  }

  get(path: string): Promise<Response> {
    return fetch(this.base + path, { headers: { cookie: this.cookie } });
  }

  async json<T>(path: string): Promise<T> {
    const res = await this.get(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  post(path: string, body: unknown = {}, options: { csrf?: boolean } = {}): Promise<Response> {
    return fetch(this.base + path, {
      method: 'POST',
      headers: {
        cookie: this.cookie,
        origin: this.origin,
        'content-type': 'application/json',
        ...(options.csrf !== false && { [CSRF_HEADER]: this.csrf }),
      },
      body: JSON.stringify(body),
    });
  }

  /** Opens GET /api/events; `next(event)` waits for the next frame of that name. */
  async events(): Promise<{ next(event: string, timeoutMs?: number): Promise<{ id?: string; data?: string }>; close(): void }> {
    const controller = new AbortController();
    const res = await fetch(`${this.base}/api/events`, { headers: { cookie: this.cookie }, signal: controller.signal });
    if (res.status !== 200) throw new Error(`GET /api/events: ${res.status}`);
    const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    let buffer = '';
    const pending: Record<string, string>[] = [];
    const fill = async (): Promise<boolean> => {
      const { value, done } = await reader.read();
      if (done) return false;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame: Record<string, string> = {};
        for (const line of buffer.slice(0, end).split('\n')) {
          const m = /^(id|event|data): ?(.*)$/.exec(line);
          if (m) frame[m[1]!] = m[2]!;
        }
        buffer = buffer.slice(end + 2);
        if (frame.event) pending.push(frame);
      }
      return true;
    };
    return {
      async next(event, timeoutMs = 5000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const i = pending.findIndex((f) => f.event === event);
          if (i >= 0) return pending.splice(0, i + 1).at(-1)!;
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`no "${event}" event within ${timeoutMs} ms`);
          const more = await Promise.race([fill(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), left))]);
          if (more === false) throw new Error(`stream ended before a "${event}" event`);
        }
      },
      close: () => controller.abort(),
    };
  }
}
