import { describe, expect, it, vi } from 'vitest';

import { RENEWAL_REFUSED, RENEW_RETRY_MS, RenewalRefused, type Renew, type SessionState } from '../../src/auth/session.ts';
import { ADA, REFRESH_S, setupSessions } from '../helpers/session-browser.ts';

const setup = setupSessions;

const principalOf = (state: SessionState) => (state.status === 'active' ? state.principal : undefined);

/** A provider double: the groups it states now, and the refresh tokens it hands out in turn. */
function fakeProvider() {
  let groups = [...ADA.groups];
  let n = 0;
  const renew = vi.fn<Renew>((token: string) => {
    expect(token).toBe(`rt${n}`);
    n += 1;
    return Promise.resolve({ principal: { user: ADA.user, groups: [...groups] }, refreshToken: `rt${n}` });
  });
  return {
    renew,
    setGroups: (g: string[]) => {
      groups = g;
    },
  };
}

describe('SessionManager: group re-check with the refresh token', () => {
  it('does not renew before groupsRefreshSeconds, renews after it, and rotates the refresh token', async () => {
    const idp = fakeProvider();
    const { clock, read, signIn } = setup({ renew: idp.renew });
    await signIn(ADA, 'rt0');
    idp.setGroups([]);
    clock.advance(REFRESH_S - 1);
    expect(principalOf(await read())).toEqual(ADA);
    expect(idp.renew).not.toHaveBeenCalled();

    clock.advance(2);
    expect(principalOf(await read())).toEqual({ user: ADA.user, groups: [] });
    expect(idp.renew).toHaveBeenCalledTimes(1);

    // The next check counts from the renewal and uses the rotated token (the fake insists on it).
    clock.advance(REFRESH_S - 1);
    await read();
    expect(idp.renew).toHaveBeenCalledTimes(1);
    clock.advance(2);
    idp.setGroups(['tenant-client-b-viewers']);
    expect(principalOf(await read())?.groups).toEqual(['tenant-client-b-viewers']);
    expect(idp.renew).toHaveBeenCalledTimes(2);
  });

  it('runs one renewal for concurrent requests of one session; all of them see its result', async () => {
    const idp = fakeProvider();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = vi.fn<Renew>(async (token) => {
      await gate;
      return idp.renew(token);
    });
    const { browser, clock, read, signIn } = setup({ renew: slow });
    await signIn(ADA, 'rt0');
    idp.setGroups([]);
    clock.advance(REFRESH_S + 1);
    const cookie = browser.cookie;
    const pending = Array.from({ length: 5 }, () => read(cookie));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const states = await Promise.all(pending);
    expect(slow).toHaveBeenCalledTimes(1);
    expect(states.map(principalOf)).toEqual(Array.from({ length: 5 }, () => ({ user: ADA.user, groups: [] })));

    // A request that left with the old cookie before the new one arrived: same result, no second
    // refresh with a token the provider has already retired.
    clock.advance(5);
    expect(principalOf(await read(cookie))).toEqual({ user: ADA.user, groups: [] });
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it('ends the session when the provider refuses (invalid_grant), with a reason to show', async () => {
    const renew = vi.fn<Renew>(() => Promise.reject(new RenewalRefused('invalid_grant')));
    const { browser, clock, read, signIn } = setup({ renew });
    await signIn(ADA, 'rt0');
    clock.advance(REFRESH_S + 1);
    expect(await read()).toEqual({ status: 'expired', reason: RENEWAL_REFUSED });
    expect(RENEWAL_REFUSED).toBe('your sign-in could not be renewed with the identity provider');
    expect(browser.cookie).toBe('');
    expect(await read()).toEqual({ status: 'anonymous' });
  });

  it('ends the session when the provider names another person', async () => {
    const renew = vi.fn<Renew>(() => Promise.resolve({ principal: { user: 'someone-else', groups: ADA.groups } }));
    const { clock, read, signIn } = setup({ renew });
    await signIn(ADA, 'rt0');
    clock.advance(REFRESH_S + 1);
    expect(await read()).toEqual({ status: 'expired', reason: RENEWAL_REFUSED });
  });

  it('keeps the session when the provider is unreachable, and asks again at most once a minute', async () => {
    const renew = vi.fn<Renew>(() => Promise.reject(new Error('fetch failed')));
    const { clock, logger, read, signIn } = setup({ renew });
    await signIn(ADA, 'rt0');
    clock.advance(REFRESH_S + 1);
    expect(principalOf(await read())).toEqual(ADA);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ user: ADA.user }), expect.stringMatching(/could not renew/));

    clock.advance(RENEW_RETRY_MS / 1000 - 1);
    expect(principalOf(await read())).toEqual(ADA);
    expect(renew).toHaveBeenCalledTimes(1);

    clock.advance(2);
    renew.mockResolvedValueOnce({ principal: { user: ADA.user, groups: [] }, refreshToken: 'rt1' });
    expect(principalOf(await read())).toEqual({ user: ADA.user, groups: [] });
    expect(renew).toHaveBeenCalledTimes(2);
  });

  it('still ends a session kept through an outage at its absolute lifetime', async () => {
    const renew = vi.fn<Renew>(() => Promise.reject(new Error('ECONNREFUSED')));
    const { clock, read, signIn } = setup({ renew });
    await signIn(ADA, 'rt0');
    for (let elapsed = 0; elapsed < 8 * 3600; elapsed += 1800) {
      clock.advance(1800);
      const state = await read();
      if (elapsed + 1800 <= 8 * 3600) expect(state.status).toBe('active');
    }
    clock.advance(1);
    expect(await read()).toEqual({ status: 'expired', reason: 'session reached its maximum lifetime' });
  });

  it('caps a session without a refresh token at groupsRefreshSeconds from sign-in (real mode only)', async () => {
    const renew = vi.fn<Renew>();
    const real = setup({ renew });
    await real.signIn(ADA);
    real.clock.advance(REFRESH_S);
    expect(principalOf(await real.read())).toEqual(ADA);
    real.clock.advance(1);
    const ended = await real.read();
    expect(ended.status).toBe('expired');
    expect(ended.status === 'expired' && ended.reason).toMatch(/renewed with the identity provider/);
    expect(renew).not.toHaveBeenCalled();

    // Demo mode (no renew function): sessions are never renewed, nor capped.
    const demo = setup();
    await demo.signIn(ADA, 'rt0');
    for (let i = 0; i < 6; i++) {
      demo.clock.advance(3000);
      expect(principalOf(await demo.read())).toEqual(ADA);
    }
  });

  it('drops a refresh token too large for the cookie, capping the session instead of refusing sign-in', async () => {
    const renew = vi.fn<Renew>();
    const { clock, logger, read, signIn } = setup({ renew });
    await signIn(ADA, 'x'.repeat(4000));
    expect(logger.warn).toHaveBeenCalledWith(expect.anything(), expect.stringMatching(/does not fit/));
    expect(principalOf(await read())).toEqual(ADA);
    clock.advance(REFRESH_S + 1);
    expect((await read()).status).toBe('expired');
    expect(renew).not.toHaveBeenCalled();
  });

  it('keeps what it did before: idle timeout, sign-out revocation, a fresh CSRF token per sign-in', async () => {
    const { sessions, browser, clock, read, signIn } = setup({ renew: fakeProvider().renew, groupsRefreshSeconds: 7200 });
    await signIn(ADA, 'rt0');
    const first = await read();
    await signIn(ADA, 'rt0');
    const second = await read();
    expect(first.status === 'active' && second.status === 'active' && first.csrf !== second.csrf).toBe(true);
    clock.advance(3601);
    expect(await read()).toEqual({ status: 'expired', reason: 'session was idle too long' });

    await signIn(ADA, 'rt0');
    const copy = browser.cookie;
    await browser.call((req, res) => sessions.signOut(req, res));
    expect(await read(copy)).toEqual({ status: 'expired', reason: 'this session was signed out' });
  });
});
