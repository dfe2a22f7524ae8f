import * as iron from 'iron-session';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { Renew } from '../../src/auth/session.ts';
import { ADA, REFRESH_S, setupSessions } from '../helpers/session-browser.ts';

// Counts how often a cookie is opened (unsealed) by iron-session, to see what the memory of
// unsealed cookies saves and, above all, what it must never skip.
vi.mock('iron-session', async (importOriginal) => {
  const real = await importOriginal<typeof iron>();
  return { ...real, getIronSession: vi.fn(real.getIronSession) };
});
const opened = vi.mocked(iron.getIronSession);
beforeEach(() => {
  opened.mockClear();
});

describe('SessionManager: unsealed cookies remembered', () => {
  it('answers a known cookie without unsealing it again, as active as before', async () => {
    const { read, signIn, clock } = setupSessions();
    await signIn(ADA);
    const first = await read();
    opened.mockClear();
    clock.advance(10);
    for (let i = 0; i < 5; i++) expect(await read()).toEqual(first);
    expect(opened).not.toHaveBeenCalled();
  });

  it('still refuses a remembered cookie once signed out, including a copy kept elsewhere', async () => {
    const { browser, sessions, read, signIn } = setupSessions();
    await signIn(ADA);
    const copy = browser.cookie;
    expect((await read(copy)).status).toBe('active');
    await browser.call((req, res) => sessions.signOut(req, res), copy);
    expect(await read(copy)).toEqual({ status: 'expired', reason: 'this session was signed out' });
  });

  it('still ends a remembered session on its idle and absolute clocks', async () => {
    const idle = setupSessions();
    await idle.signIn(ADA);
    const cookie = idle.browser.cookie;
    expect((await idle.read(cookie)).status).toBe('active');
    idle.clock.advance(3601);
    expect(await idle.read(cookie)).toEqual({ status: 'expired', reason: 'session was idle too long' });

    // Active all along, the last request 30 s before the 8-hour lifetime ends (a remembered
    // cookie, no idle refresh due): the next one, past the lifetime, is refused all the same.
    const absolute = setupSessions();
    await absolute.signIn(ADA);
    for (let i = 0; i < 9; i++) {
      absolute.clock.advance(3000);
      expect((await absolute.read()).status).toBe('active');
    }
    absolute.clock.advance(8 * 3600 - 9 * 3000 - 20);
    expect((await absolute.read()).status).toBe('active'); // a new cookie (the idle clock re-sealed)
    absolute.clock.advance(5);
    expect((await absolute.read()).status).toBe('active'); // that cookie is now known
    absolute.clock.advance(25);
    expect(await absolute.read()).toEqual({ status: 'expired', reason: 'session reached its maximum lifetime' });
  });

  it('still refreshes the idle clock (a new cookie) and renews the groups when due', async () => {
    const renew = vi.fn<Renew>(() => Promise.resolve({ principal: { user: ADA.user, groups: [] }, refreshToken: 'rt1' }));
    const { browser, clock, read, signIn } = setupSessions({ renew });
    await signIn(ADA, 'rt0');
    await read();
    const before = browser.cookie;
    clock.advance(61);
    expect((await read()).status).toBe('active');
    expect(browser.cookie).not.toBe(before);
    clock.advance(REFRESH_S);
    const renewed = await read();
    expect(renew).toHaveBeenCalledTimes(1);
    expect(renewed.status === 'active' && renewed.principal.groups).toEqual([]);
  });

  it('renews the groups of a remembered cookie as soon as they are due, even within the minute of idle refresh', async () => {
    const renew = vi.fn<Renew>(() => Promise.resolve({ principal: { user: ADA.user, groups: [] }, refreshToken: 'rt1' }));
    const { clock, read, signIn } = setupSessions({ renew, groupsRefreshSeconds: 30 });
    await signIn(ADA, 'rt0');
    expect((await read()).status).toBe('active');
    clock.advance(31);
    const renewed = await read();
    expect(renew).toHaveBeenCalledTimes(1);
    expect(renewed.status === 'active' && renewed.principal.groups).toEqual([]);
  });

  it('never takes an altered cookie for a known one', async () => {
    const { browser, read, signIn } = setupSessions();
    await signIn(ADA);
    await read();
    const [name, value] = browser.cookie.split(/=(.*)/s);
    const altered = `${name}=${value!.slice(0, -4)}AAAA`;
    expect(await read(altered)).toEqual({ status: 'anonymous' });
    expect(opened).toHaveBeenCalled();
  });
});
