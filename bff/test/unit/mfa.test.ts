import type { IncomingMessage, ServerResponse } from 'node:http';

import { describe, expect, it } from 'vitest';

import { LoginQuery, type Principal } from '@fleetdeck/shared';

import { keepSignInMfa, mfaFromClaims, stepUpParameters } from '../../src/auth/mfa.ts';
import { isSafeReturnTo, safeReturnTo } from '../../src/auth/oidc.ts';
import { SessionManager, type Renew } from '../../src/auth/session.ts';

const PAPE_MFA = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

describe('mfaFromClaims: the ID token says a second factor was used', () => {
  it('counts amr containing "mfa" (RFC 8176), wherever it is in the list', () => {
    expect(mfaFromClaims({ amr: ['pwd', 'otp', 'mfa'] }, [])).toBe(true);
    expect(mfaFromClaims({ amr: ['mfa'] }, [])).toBe(true);
  });

  it('does not count single methods, even several: which make two factors is the provider’s word ("mfa")', () => {
    expect(mfaFromClaims({ amr: ['pwd'] }, [])).toBe(false);
    expect(mfaFromClaims({ amr: ['otp'] }, [])).toBe(false);
    expect(mfaFromClaims({ amr: ['pwd', 'hwk'] }, [])).toBe(false);
    expect(mfaFromClaims({}, [])).toBe(false);
  });

  it('counts an acr the configuration accepts, and only such an acr', () => {
    expect(mfaFromClaims({ acr: PAPE_MFA }, [PAPE_MFA])).toBe(true);
    expect(mfaFromClaims({ acr: 'urn:fleetdeck:mfa', amr: ['pwd'] }, ['urn:fleetdeck:mfa'])).toBe(true);
    expect(mfaFromClaims({ acr: 'urn:fleetdeck:pwd' }, ['urn:fleetdeck:mfa'])).toBe(false);
    // No acr is accepted unless configured: the default is amr only.
    expect(mfaFromClaims({ acr: PAPE_MFA }, [])).toBe(false);
  });

  it('treats malformed claims as no MFA (a string amr, a substring, a non-string acr)', () => {
    expect(mfaFromClaims({ amr: 'mfa' }, [])).toBe(false);
    expect(mfaFromClaims({ amr: ['nomfa', 'MFA'] }, [])).toBe(false);
    expect(mfaFromClaims({ amr: [{ mfa: true }] }, [])).toBe(false);
    expect(mfaFromClaims({ acr: ['urn:fleetdeck:mfa'] }, ['urn:fleetdeck:mfa'])).toBe(false);
    expect(mfaFromClaims({ acr: 2 }, ['2'])).toBe(false);
  });
});

describe('stepUpParameters: a step-up asks the provider to sign the person in again now', () => {
  it('sends prompt=login and max_age=0, with acr_values only when configured', () => {
    expect(stepUpParameters(undefined)).toEqual({ prompt: 'login', max_age: '0' });
    expect(stepUpParameters('urn:fleetdeck:mfa')).toEqual({ prompt: 'login', max_age: '0', acr_values: 'urn:fleetdeck:mfa' });
  });
});

describe('the login query: stepUp and returnTo', () => {
  it('accepts stepUp=mfa only, once', () => {
    expect(LoginQuery.parse({ stepUp: 'mfa', returnTo: '/rollouts/x' })).toEqual({ stepUp: 'mfa', returnTo: '/rollouts/x' });
    expect(LoginQuery.safeParse({ stepUp: 'otp' }).success).toBe(false);
    expect(LoginQuery.safeParse({ stepUp: ['mfa', 'mfa'] }).success).toBe(false);
  });

  it('keeps returnTo to paths on this site', () => {
    for (const ok of ['/', '/rollouts/kubefleet~a~b?wave=prod#x', '/fleet']) expect(isSafeReturnTo(ok), ok).toBe(true);
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example', '/a\nb', 'rollouts', ''])
      expect(isSafeReturnTo(bad), JSON.stringify(bad)).toBe(false);
    expect(safeReturnTo('//evil.example')).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
  });
});

describe('MFA through session renewal: a refresh authenticates nobody', () => {
  const ada: Principal = { user: 'ada@example.com', groups: ['tenant-client-a-admins'] };

  it('keepSignInMfa takes mfa from the sign-in, never from the renewal', () => {
    expect(keepSignInMfa({ ...ada, mfa: true }, { ...ada, groups: [] })).toEqual({ ...ada, groups: [], mfa: true });
    expect(keepSignInMfa({ ...ada, mfa: false }, { ...ada, mfa: true })).toEqual({ ...ada, mfa: false });
    expect(keepSignInMfa(ada, { ...ada, mfa: true })).toEqual(ada);
  });

  async function renewedPrincipal(signedIn: Principal, renewed: Principal): Promise<Principal | undefined> {
    let t = 1_700_000_000_000;
    const renew: Renew = () => Promise.resolve({ principal: renewed, refreshToken: 'rt1' });
    const sessions = new SessionManager({
      secret: 'unit-test-secret-unit-test-secret-0123456789',
      cookieName: 's',
      maxAgeSeconds: 8 * 3600,
      idleTimeoutSeconds: 3600,
      groupsRefreshSeconds: 60,
      secureCookie: false,
      now: () => t,
      renew,
    });
    let cookie = '';
    const call = async <T>(fn: (req: IncomingMessage, res: ServerResponse) => Promise<T>): Promise<T> => {
      const headers = new Map<string, unknown>();
      const req = { headers: cookie ? { cookie } : {} } as IncomingMessage;
      const res = {
        headersSent: false,
        getHeader: (n: string) => headers.get(n),
        setHeader: (n: string, v: unknown) => headers.set(n, v),
      } as unknown as ServerResponse;
      const out = await fn(req, res);
      for (const line of (headers.get('set-cookie') ?? []) as string[]) cookie = line.split(';')[0]!;
      return out;
    };
    await call((req, res) => sessions.signIn(req, res, signedIn, { refreshToken: 'rt0' }));
    t += 120_000;
    const state = await call((req, res) => sessions.read(req, res));
    expect(state.status).toBe('active');
    return state.status === 'active' ? state.principal : undefined;
  }

  it('a session signed in with MFA keeps it when renewed (new groups, refreshed ID token without amr)', async () => {
    expect(await renewedPrincipal({ ...ada, mfa: true }, { user: ada.user, groups: ['fleet-viewers'] })).toEqual({
      user: ada.user,
      groups: ['fleet-viewers'],
      mfa: true,
    });
  });

  it('a session signed in without MFA does not gain it from a renewal', async () => {
    expect((await renewedPrincipal({ ...ada, mfa: false }, { ...ada, mfa: true }))?.mfa).toBe(false);
  });
});
