import type { IncomingMessage, ServerResponse } from 'node:http';

import { vi } from 'vitest';

import type { Principal } from '@fleetdeck/shared';

import { SessionManager, type Renew } from '../../src/auth/session.ts';

export const ADA: Principal = { user: 'ada@example.com', groups: ['tenant-client-a-admins'] };
export const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
export const REFRESH_S = 600;

/** One browser: keeps the session cookie across calls, as iron-session sets and clears it. */
export class Browser {
  cookie = '';

  async call<T>(fn: (req: IncomingMessage, res: ServerResponse) => Promise<T>, cookie = this.cookie): Promise<T> {
    const headers = new Map<string, unknown>();
    const req = { headers: cookie ? { cookie } : {} } as IncomingMessage;
    const res = {
      headersSent: false,
      getHeader: (name: string) => headers.get(name),
      setHeader: (name: string, value: unknown) => headers.set(name, value),
    } as unknown as ServerResponse;
    const result = await fn(req, res);
    for (const line of (headers.get('set-cookie') ?? []) as string[]) {
      const [pair] = line.split(';');
      this.cookie = /=$/.test(pair!) || /max-age=0/i.test(line) ? '' : pair!;
    }
    return result;
  }
}

export function setupSessions(options: { renew?: Renew; groupsRefreshSeconds?: number } = {}) {
  let t = 1_700_000_000_000;
  const clock = {
    now: () => t,
    advance: (seconds: number) => {
      t += seconds * 1000;
    },
  };
  const logger = { info: vi.fn(), warn: vi.fn() };
  const sessions = new SessionManager({
    secret: SECRET,
    cookieName: 'fleetdeck_session',
    maxAgeSeconds: 8 * 3600,
    idleTimeoutSeconds: 3600,
    groupsRefreshSeconds: options.groupsRefreshSeconds ?? REFRESH_S,
    secureCookie: false,
    now: clock.now,
    logger,
    ...(options.renew && { renew: options.renew }),
  });
  const browser = new Browser();
  const read = (cookie?: string) => browser.call((req, res) => sessions.read(req, res), cookie);
  const signIn = (principal: Principal, refreshToken?: string) =>
    browser.call((req, res) => sessions.signIn(req, res, principal, refreshToken ? { refreshToken } : {}));
  return { sessions, browser, clock, logger, read, signIn };
}
