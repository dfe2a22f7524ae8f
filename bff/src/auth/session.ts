import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { getIronSession, type IronSession } from 'iron-session';

import type { Principal } from '@fleetdeck/shared';

/** What the sealed cookie holds. Never an upstream token: those stay on the server side. */
export interface SessionData {
  principal?: Principal;
  /** Epoch ms of sign-in; the absolute lifetime counts from here. */
  issuedAt?: number;
  /** Epoch ms of the last request; the idle timeout counts from here. */
  lastSeenAt?: number;
  csrf?: string;
}

export interface SessionOptions {
  secret: string;
  cookieName: string;
  maxAgeSeconds: number;
  idleTimeoutSeconds: number;
  secureCookie: boolean;
  now?: () => number;
}

export type SessionState =
  { status: 'anonymous' } | { status: 'expired'; reason: string } | { status: 'active'; principal: Principal; csrf: string };

// Re-sealing the cookie on every request costs a little CPU and a Set-Cookie header;
// refreshing the idle clock once a minute is precise enough.
const IDLE_REFRESH_MS = 60_000;

/**
 * Sessions are sealed (encrypted and signed) HttpOnly cookies, so any number of BFF
 * replicas can serve a person without a shared store.
 */
export class SessionManager {
  readonly #opts: SessionOptions;
  readonly #now: () => number;

  constructor(opts: SessionOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  #open(req: IncomingMessage, res: ServerResponse): Promise<IronSession<SessionData>> {
    return getIronSession<SessionData>(req, res, {
      password: this.#opts.secret,
      cookieName: this.#opts.cookieName,
      ttl: this.#opts.maxAgeSeconds,
      cookieOptions: { httpOnly: true, sameSite: 'lax', secure: this.#opts.secureCookie, path: '/' },
    });
  }

  /** Reads the session; expires it (clearing the cookie) when either clock has run out. */
  async read(req: IncomingMessage, res: ServerResponse): Promise<SessionState> {
    const session = await this.#open(req, res);
    const { principal, issuedAt, lastSeenAt, csrf } = session;
    if (!principal || issuedAt === undefined || lastSeenAt === undefined || !csrf) return { status: 'anonymous' };
    const now = this.#now();
    const reason =
      now - issuedAt > this.#opts.maxAgeSeconds * 1000
        ? 'session reached its maximum lifetime'
        : now - lastSeenAt > this.#opts.idleTimeoutSeconds * 1000
          ? 'session was idle too long'
          : undefined;
    if (reason) {
      session.destroy();
      return { status: 'expired', reason };
    }
    if (now - lastSeenAt > IDLE_REFRESH_MS) {
      session.lastSeenAt = now;
      await session.save();
    }
    return { status: 'active', principal, csrf };
  }

  async signIn(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
    const session = await this.#open(req, res);
    const now = this.#now();
    session.principal = principal;
    session.issuedAt = now;
    session.lastSeenAt = now;
    // A fresh token per sign-in, so a token seen before sign-in is worthless after it.
    session.csrf = randomBytes(24).toString('base64url');
    await session.save();
  }

  async signOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = await this.#open(req, res);
    session.destroy();
  }
}
