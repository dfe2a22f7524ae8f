import { describe, expect, it } from 'vitest';

import { IDLE_REFRESH_MS, NO_REFRESH_TOKEN, cookieValue, verdictOf, type SessionFacts } from '../../src/auth/session-verdict.ts';
import { RENEW_RETRY_MS } from '../../src/auth/renewal.ts';

const T0 = 1_700_000_000_000;
const facts = (f: Partial<SessionFacts> = {}): SessionFacts => ({
  sid: 's1',
  principal: { user: 'ada@example.com', groups: ['g'] },
  issuedAt: T0,
  lastSeenAt: T0,
  csrf: 'c',
  hasRefreshToken: true,
  groupsCheckedAt: T0,
  renewFailedAt: undefined,
  ...f,
});
const rules = (r: Partial<Parameters<typeof verdictOf>[2]> = {}) => ({
  maxAgeMs: 8 * 3600_000,
  idleMs: 3600_000,
  refreshMs: 600_000,
  renewable: true,
  isRevoked: () => false,
  ...r,
});

describe('the session verdict', () => {
  it('ends a revoked session before anything else, even one due for renewal', () => {
    expect(verdictOf(facts(), T0 + 700_000, rules({ isRevoked: () => true }))).toEqual({
      kind: 'expired',
      reason: 'this session was signed out',
    });
  });

  it('ends on the absolute and idle clocks, and without a refresh token once renewal would be due', () => {
    expect(verdictOf(facts({ lastSeenAt: T0 + 8 * 3600_000 }), T0 + 8 * 3600_000 + 1, rules()).kind).toBe('expired');
    expect(verdictOf(facts(), T0 + 3600_001, rules())).toEqual({ kind: 'expired', reason: 'session was idle too long' });
    const noToken = facts({ hasRefreshToken: false, lastSeenAt: T0 + 600_000 });
    expect(verdictOf(noToken, T0 + 600_001, rules())).toEqual({ kind: 'expired', reason: NO_REFRESH_TOKEN });
    // In demo mode nothing is renewed, so the missing token does not matter.
    expect(verdictOf(noToken, T0 + 600_001, rules({ renewable: false })).kind).toBe('active');
  });

  it('renews when due, not again within the retry wait after a failure, and refreshes the idle clock after a minute', () => {
    const seen = T0 + 600_000;
    expect(verdictOf(facts({ lastSeenAt: seen }), seen + 1_001, rules()).kind).toBe('renew');
    const failed = facts({ lastSeenAt: seen, renewFailedAt: seen });
    expect(verdictOf(failed, seen + RENEW_RETRY_MS - 1, rules()).kind).toBe('active');
    expect(verdictOf(failed, seen + RENEW_RETRY_MS, rules()).kind).toBe('renew');
    expect(verdictOf(facts(), T0 + IDLE_REFRESH_MS, rules()).kind).toBe('active');
    expect(verdictOf(facts(), T0 + IDLE_REFRESH_MS + 1, rules()).kind).toBe('touch');
  });

  it('reads the first cookie of the name, as iron-session does', () => {
    expect(cookieValue('a=1; fleetdeck_session=x; fleetdeck_session=y', 'fleetdeck_session')).toBe('x');
    expect(cookieValue('fleetdeck_session.0=x', 'fleetdeck_session')).toBeUndefined();
    expect(cookieValue(undefined, 'fleetdeck_session')).toBeUndefined();
  });
});
