import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { getIronSession, type IronSession } from 'iron-session';

import type { Principal } from '@fleetdeck/shared';

import type { Logger } from '../lib/logger.ts';
import { HttpProblem } from '../lib/problem.ts';
import { keepSignInMfa } from './mfa.ts';
import { RENEWAL_REFUSED, RENEW_RETRY_MS, RenewalRefused, type Renew, type Renewal } from './renewal.ts';
import { RevocationList } from './revocations.ts';
import { UnsealedCookies, cookieValue, factsOf, verdictOf, type SessionFacts, type SessionRules } from './session-verdict.ts';

export { RENEWAL_REFUSED, RENEW_RETRY_MS, RenewalRefused, type Renew, type Renewal } from './renewal.ts';

/**
 * What the sealed cookie holds. The one upstream token in it is the identity provider's
 * refresh token, sealed (encrypted and signed) with the rest, so the browser carries it
 * but can neither read nor alter it; only this BFF uses it, to re-check the groups.
 */
export interface SessionData {
  /** Random id of this sign-in: what sign-out revokes and what per-session limits count. */
  sid?: string;
  principal?: Principal;
  /** Epoch ms of sign-in; the absolute lifetime counts from here. */
  issuedAt?: number;
  /** Epoch ms of the last request; the idle timeout counts from here. */
  lastSeenAt?: number;
  csrf?: string;
  /** The provider's refresh token, when it issued one: how the groups are re-checked. */
  refreshToken?: string;
  /** Epoch ms the principal was last taken from the provider (sign-in or renewal). */
  groupsCheckedAt?: number;
  /** Epoch ms of the last renewal that failed because the provider could not be reached. */
  renewFailedAt?: number;
}

export interface SessionOptions {
  secret: string;
  cookieName: string;
  maxAgeSeconds: number;
  idleTimeoutSeconds: number;
  /** How often the groups are re-checked with the provider; defaults to the idle timeout. */
  groupsRefreshSeconds?: number;
  secureCookie: boolean;
  /** Present in real mode (OIDC): sessions are renewed with it. Absent: sessions are never renewed (demo). */
  renew?: Renew;
  logger?: Pick<Logger, 'info' | 'warn'>;
  now?: () => number;
  revocations?: RevocationList;
}

export type SessionState =
  { status: 'anonymous' } | { status: 'expired'; reason: string } | { status: 'active'; sid: string; principal: Principal; csrf: string };

type Outcome =
  | { kind: 'renewed'; renewal: Renewal; at: number }
  | { kind: 'refused'; error: unknown }
  | { kind: 'unreachable'; error: unknown; at: number };

interface InFlight {
  /** The refresh token this renewal used: only requests carrying the same one share its result. */
  token: string;
  outcome: Promise<Outcome>;
  settledAt?: number;
}

const active = (f: SessionFacts): SessionState => ({ status: 'active', sid: f.sid, principal: f.principal, csrf: f.csrf });

function tooBig(err: unknown): boolean {
  return err instanceof Error && /too big|maximum is/.test(err.message);
}

/**
 * Sessions are sealed (encrypted and signed) HttpOnly cookies, so any number of BFF
 * replicas can serve a person without a shared store.
 *
 * In real mode the principal is re-read from the identity provider every
 * `groupsRefreshSeconds` with the sign-in's refresh token (as oauth2-proxy's cookie
 * refresh does), so a group removed at the provider takes effect at the latest after
 * that interval. A session without a refresh token cannot be re-checked and ends after
 * that interval instead.
 */
export class SessionManager {
  readonly #opts: SessionOptions;
  readonly #now: () => number;
  readonly #revoked: RevocationList;
  /**
   * Renewals of this process by session id: one at a time per session, and its result is
   * kept a minute for requests that still carry the refresh token it used (they were on
   * their way before the rotated cookie reached the browser). Reusing a rotated refresh
   * token would make many providers revoke the whole grant.
   */
  readonly #renewals = new Map<string, InFlight>();
  /** Cookies already unsealed: a request whose verdict needs no write is answered from them. */
  readonly #unsealed = new UnsealedCookies();
  readonly #rules: SessionRules;

  constructor(opts: SessionOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#revoked = opts.revocations ?? new RevocationList({ now: this.#now });
    this.#rules = {
      maxAgeMs: opts.maxAgeSeconds * 1000,
      idleMs: opts.idleTimeoutSeconds * 1000,
      refreshMs: (opts.groupsRefreshSeconds ?? opts.idleTimeoutSeconds) * 1000,
      renewable: opts.renew !== undefined,
      isRevoked: (sid) => this.#revoked.isRevoked(sid),
    };
  }

  #open(req: IncomingMessage, res: ServerResponse): Promise<IronSession<SessionData>> {
    return getIronSession<SessionData>(req, res, {
      password: this.#opts.secret,
      cookieName: this.#opts.cookieName,
      ttl: this.#opts.maxAgeSeconds,
      cookieOptions: { httpOnly: true, sameSite: 'lax', secure: this.#opts.secureCookie, path: '/' },
    });
  }

  /**
   * Reads the session; expires it (clearing the cookie) when a clock has run out or the
   * provider refused to renew it, and renews the principal when it is due.
   */
  async read(req: IncomingMessage, res: ServerResponse): Promise<SessionState> {
    const sealed = cookieValue(req.headers.cookie, this.#opts.cookieName);
    const known = sealed === undefined ? undefined : this.#unsealed.get(sealed);
    // A known cookie whose verdict needs no write is answered without unsealing it again.
    if (known && verdictOf(known, this.#now(), this.#rules).kind === 'active') return active(known);
    const session = await this.#open(req, res);
    const facts = factsOf(session);
    if (!facts) return { status: 'anonymous' };
    if (sealed !== undefined && !known) this.#unsealed.remember(sealed, facts);
    const now = this.#now();
    const verdict = verdictOf(facts, now, this.#rules);
    if (verdict.kind === 'expired') {
      session.destroy();
      return { status: 'expired', reason: verdict.reason };
    }
    if (verdict.kind === 'renew') return this.#renewSession(session, facts.sid, facts.csrf, now);
    if (verdict.kind === 'touch') {
      session.lastSeenAt = now;
      await session.save();
    }
    return active(facts);
  }

  async #renewSession(session: IronSession<SessionData>, sid: string, csrf: string, now: number): Promise<SessionState> {
    const before = session.principal!;
    const outcome = await this.#renewOnce(sid, session.refreshToken!, before.user);
    if (outcome.kind === 'renewed' && outcome.renewal.principal.user !== before.user) {
      this.#opts.logger?.warn(
        { user: before.user, renewedAs: outcome.renewal.principal.user },
        'session renewal named another person; ending the session',
      );
      session.destroy();
      return { status: 'expired', reason: RENEWAL_REFUSED };
    }
    if (outcome.kind === 'refused') {
      session.destroy();
      return { status: 'expired', reason: RENEWAL_REFUSED };
    }
    if (outcome.kind === 'unreachable') {
      session.renewFailedAt = outcome.at;
      session.lastSeenAt = now;
      await session.save();
      return { status: 'active', sid, principal: before, csrf };
    }
    const { refreshToken } = outcome.renewal;
    // Groups follow the provider; a second factor is proven only by signing in.
    const principal = keepSignInMfa(before, outcome.renewal.principal);
    session.principal = principal;
    if (refreshToken) session.refreshToken = refreshToken;
    session.groupsCheckedAt = outcome.at;
    delete session.renewFailedAt;
    session.lastSeenAt = now;
    try {
      await session.save();
    } catch (err) {
      if (!tooBig(err)) throw err;
      this.#opts.logger?.warn(
        { user: principal.user, groups: principal.groups.length },
        'renewed session no longer fits in a cookie; it ends',
      );
      session.destroy();
      return {
        status: 'expired',
        reason: `${RENEWAL_REFUSED} (your groups no longer fit in a session; ask an administrator to bind fewer groups)`,
      };
    }
    return { status: 'active', sid, principal, csrf };
  }

  /** One renewal per session at a time (logged once); requests carrying the same refresh token share it. */
  #renewOnce(sid: string, refreshToken: string, user: string): Promise<Outcome> {
    const now = this.#now();
    const current = this.#renewals.get(sid);
    if (current && current.token === refreshToken && (current.settledAt === undefined || now - current.settledAt < RENEW_RETRY_MS)) {
      return current.outcome;
    }
    for (const [key, entry] of this.#renewals) {
      if (entry.settledAt !== undefined && now - entry.settledAt >= RENEW_RETRY_MS) this.#renewals.delete(key);
    }
    const renew = this.#opts.renew!;
    const outcome = Promise.resolve()
      .then(() => renew(refreshToken))
      .then(
        (renewal): Outcome => ({ kind: 'renewed', renewal, at: this.#now() }),
        (error: unknown): Outcome => {
          if (error instanceof RenewalRefused) {
            this.#opts.logger?.info({ user, err: error }, 'the identity provider refused to renew a session; it ends');
            return { kind: 'refused', error };
          }
          this.#opts.logger?.warn(
            { user, err: error, retryInSeconds: RENEW_RETRY_MS / 1000 },
            'could not renew a session with the identity provider; keeping it and trying again later',
          );
          return { kind: 'unreachable', error, at: this.#now() };
        },
      );
    const entry: InFlight = { token: refreshToken, outcome };
    void outcome.then(() => {
      entry.settledAt = this.#now();
    });
    this.#renewals.set(sid, entry);
    return outcome;
  }

  async signIn(req: IncomingMessage, res: ServerResponse, principal: Principal, options: { refreshToken?: string } = {}): Promise<void> {
    const session = await this.#open(req, res);
    const now = this.#now();
    session.sid = randomBytes(18).toString('base64url');
    session.principal = principal;
    session.issuedAt = now;
    session.lastSeenAt = now;
    session.groupsCheckedAt = now;
    delete session.renewFailedAt;
    if (options.refreshToken) session.refreshToken = options.refreshToken;
    else delete session.refreshToken;
    // A fresh token per sign-in, so a token seen before sign-in is worthless after it.
    session.csrf = randomBytes(24).toString('base64url');
    try {
      await session.save();
    } catch (err) {
      if (!tooBig(err)) throw err;
      if (session.refreshToken) {
        // Without the refresh token the session still works, for one refresh interval.
        this.#opts.logger?.warn(
          { user: principal.user },
          "the provider's refresh token does not fit in the session cookie; this session ends after one group-refresh interval",
        );
        delete session.refreshToken;
        if (await this.#saveUnlessTooBig(session)) return;
      }
      // iron-session refuses a cookie browsers would drop (over 4 KB). Groups are already
      // cut to those the access policy names, so this is a person with very many of them.
      throw new HttpProblem(
        403,
        `your sign-in carries ${principal.groups.length} groups that Fleetdeck's access policy names, more than a session can hold; ask an administrator to bind fewer groups`,
      );
    }
  }

  async #saveUnlessTooBig(session: IronSession<SessionData>): Promise<boolean> {
    try {
      await session.save();
      return true;
    } catch (err) {
      if (tooBig(err)) return false;
      throw err;
    }
  }

  /** Ends the session here and revokes its id, so a copy of the cookie is refused too. */
  async signOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = await this.#open(req, res);
    if (session.sid && session.issuedAt !== undefined)
      this.#revoked.revoke(session.sid, session.issuedAt + this.#opts.maxAgeSeconds * 1000);
    session.destroy();
  }
}
