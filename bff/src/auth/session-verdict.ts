import type { Principal } from '@fleetdeck/shared';

import { RENEW_RETRY_MS } from './renewal.ts';

// Re-sealing the cookie on every request costs a little CPU and a Set-Cookie header;
// refreshing the idle clock once a minute is precise enough.
export const IDLE_REFRESH_MS = 60_000;
export const NO_REFRESH_TOKEN =
  'your sign-in has to be renewed with the identity provider (it issued no refresh token, so group changes are only seen at sign-in)';

/** What deciding on a session needs from its cookie (never the refresh token itself). */
export interface SessionFacts {
  sid: string;
  principal: Principal;
  issuedAt: number;
  lastSeenAt: number;
  csrf: string;
  hasRefreshToken: boolean;
  groupsCheckedAt: number | undefined;
  renewFailedAt: number | undefined;
}

/** The session's facts, or undefined when it is not a signed-in session. */
export function factsOf(s: {
  sid?: string | undefined;
  principal?: Principal | undefined;
  issuedAt?: number | undefined;
  lastSeenAt?: number | undefined;
  csrf?: string | undefined;
  refreshToken?: string | undefined;
  groupsCheckedAt?: number | undefined;
  renewFailedAt?: number | undefined;
}): SessionFacts | undefined {
  const { sid, principal, issuedAt, lastSeenAt, csrf } = s;
  if (!sid || !principal || issuedAt === undefined || lastSeenAt === undefined || !csrf) return undefined;
  const hasRefreshToken = Boolean(s.refreshToken);
  return {
    sid,
    principal,
    issuedAt,
    lastSeenAt,
    csrf,
    hasRefreshToken,
    groupsCheckedAt: s.groupsCheckedAt,
    renewFailedAt: s.renewFailedAt,
  };
}

export interface SessionRules {
  maxAgeMs: number;
  idleMs: number;
  /** How often the groups are re-checked with the provider. */
  refreshMs: number;
  /** Sessions are renewed with the provider (real mode). */
  renewable: boolean;
  isRevoked(sid: string): boolean;
}

/**
 * What a request does with a session, in this order: end it (revoked, a clock ran out, or
 * it cannot be renewed and is due), renew its groups with the provider, refresh its idle
 * clock (a new cookie), or nothing. Pure: the session manager acts on it.
 */
export type Verdict = { kind: 'expired'; reason: string } | { kind: 'renew' } | { kind: 'touch' } | { kind: 'active' };

export function verdictOf(f: SessionFacts, now: number, rules: SessionRules): Verdict {
  if (rules.isRevoked(f.sid)) return { kind: 'expired', reason: 'this session was signed out' };
  if (now - f.issuedAt > rules.maxAgeMs) return { kind: 'expired', reason: 'session reached its maximum lifetime' };
  if (now - f.lastSeenAt > rules.idleMs) return { kind: 'expired', reason: 'session was idle too long' };
  if (rules.renewable && !f.hasRefreshToken && now - f.issuedAt > rules.refreshMs) return { kind: 'expired', reason: NO_REFRESH_TOKEN };
  const due =
    rules.renewable &&
    f.hasRefreshToken &&
    now - (f.groupsCheckedAt ?? f.issuedAt) > rules.refreshMs &&
    (f.renewFailedAt === undefined || now - f.renewFailedAt >= RENEW_RETRY_MS);
  if (due) return { kind: 'renew' };
  if (now - f.lastSeenAt > IDLE_REFRESH_MS) return { kind: 'touch' };
  return { kind: 'active' };
}

/** The value of cookie `name` in a Cookie header: the first one, as iron-session reads it. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Unsealed cookies by their exact sealed text. A seal is authenticated, so one text always
 * unseals to the same facts: remembering them saves iron-session's key derivation,
 * decryption and MAC check (about 1.2 ms) on every request. The verdict is still taken on
 * every request. Bounded: past `max` the oldest goes (an active person's cookie changes at
 * least once a minute).
 */
export class UnsealedCookies {
  readonly #max: number;
  readonly #bySeal = new Map<string, SessionFacts>();

  constructor(max = 4096) {
    this.#max = max;
  }

  get(sealed: string): SessionFacts | undefined {
    return this.#bySeal.get(sealed);
  }

  remember(sealed: string, facts: SessionFacts): void {
    this.#bySeal.set(sealed, facts);
    if (this.#bySeal.size > this.#max) this.#bySeal.delete(this.#bySeal.keys().next().value!);
  }
}
