import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

import '@fleetdeck/testbed/vitest-context';
import { FleetTree, Me } from '@fleetdeck/shared';
import { CookieJar, browserFetch, signInThroughProvider } from '@fleetdeck/testbed/browser-login';

import type { RunningServer } from '../../src/server.ts';
import { startDemoBff } from '../helpers/demo-client.ts';

/**
 * Group changes at the identity provider reach a live session: the BFF renews it with
 * the refresh token every `groupsRefreshSeconds` (here 3) and takes the groups from the
 * new ID token. The testbed's provider rotates refresh tokens and revokes the grant when
 * a retired one is reused, so a lost rotation or a doubled refresh would show as a 401.
 */
const env = inject('testbed');
// oidc-signin.test.ts uses this port too; test files run one at a time.
const PORT = 18090;
const base = `http://127.0.0.1:${PORT}`;
const REFRESH_S = 3;
const ADMIN = env.oidc.users.find((u) => u.user === 'client-a-admin@demo')!;
let bff: RunningServer;

beforeAll(async () => {
  bff = await startDemoBff({
    mode: 'real',
    server: { port: PORT },
    session: { secret: 'x'.repeat(40), groupsRefreshSeconds: REFRESH_S },
    auth: {
      oidc: {
        issuerUrl: env.oidc.issuer,
        clientId: env.oidc.clientId,
        clientSecret: env.oidc.clientSecret,
        redirectUrl: `${base}/api/auth/callback`,
        allowInsecureHttp: true,
      },
    },
    inventory: { sources: ['kubefleet'], hubKubeconfig: env.hub.bffKubeconfig },
  });
});
async function control(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${env.control.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBe(204);
}
// The provider is shared with the other test files: put the person back as seeded.
afterEach(async () => {
  await control('/idp/groups', { user: ADMIN.user, groups: ADMIN.groups });
  await control('/idp/disabled', { user: ADMIN.user, disabled: false });
});
afterAll(async () => {
  await bff?.close();
});

async function signIn(user: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const { callback } = await signInThroughProvider({
    start: new URL(`${base}/api/auth/login`),
    user,
    password,
    stopAt: `${base}/api/auth/callback`,
    jar,
  });
  expect((await browserFetch(jar, callback)).status).toBe(303);
  return jar;
}
const get = (jar: CookieJar, path: string) => browserFetch(jar, new URL(`${base}${path}`));
const me = async (jar: CookieJar) => Me.parse(await (await get(jar, '/api/me')).json());
async function tenants(jar: CookieJar): Promise<string[]> {
  const res = await get(jar, '/api/fleet');
  expect(res.status).toBe(200);
  return FleetTree.parse(await res.json()).tenants.map((t) => t.id);
}
const pastRefresh = () => new Promise((r) => setTimeout(r, REFRESH_S * 1000 + 300));

describe('group changes at the identity provider reach live sessions', () => {
  it('a removed group is gone from the session after groupsRefreshSeconds, not before', async () => {
    const both = [...ADMIN.groups, 'tenant-client-b-viewers'];
    await control('/idp/groups', { user: ADMIN.user, groups: both });
    const jar = await signIn(ADMIN.user, ADMIN.password);
    const signedInAt = Date.now();
    expect(await tenants(jar)).toEqual(['client-a', 'client-b']);

    await control('/idp/groups', { user: ADMIN.user, groups: ['tenant-client-b-viewers'] });
    // Before the interval the session keeps what sign-in gave it.
    expect((await me(jar)).principal.groups).toEqual(both);
    expect(await tenants(jar)).toEqual(['client-a', 'client-b']);
    expect(Date.now() - signedInAt).toBeLessThan(REFRESH_S * 1000);

    await pastRefresh();
    // The next request is renewed first: client-a is out of scope, and what impersonation
    // sends upstream (the principal's groups) is the provider's new answer.
    expect((await me(jar)).principal).toMatchObject({ user: ADMIN.user, groups: ['tenant-client-b-viewers'] });
    expect(await tenants(jar)).toEqual(['client-b']);

    // Every group gone: nothing is viewable any more.
    await control('/idp/groups', { user: ADMIN.user, groups: [] });
    await pastRefresh();
    const none = await me(jar);
    expect(none.principal.groups).toEqual([]);
    expect(none.scope.grants).toEqual([]);
    expect((await get(jar, '/api/fleet')).status).toBe(403);

    // Given back, the group returns at the next renewal: each renewal used the token the
    // previous one rotated (the provider would have revoked the grant otherwise).
    await control('/idp/groups', { user: ADMIN.user, groups: ADMIN.groups });
    await pastRefresh();
    expect((await me(jar)).principal.groups).toEqual(ADMIN.groups);
    expect(await tenants(jar)).toEqual(['client-a']);
  }, 60_000);

  it('concurrent requests after the interval share one renewal (a second would reuse a retired token)', async () => {
    const jar = await signIn(ADMIN.user, ADMIN.password);
    await control('/idp/groups', { user: ADMIN.user, groups: [] });
    await pastRefresh();
    // Every request leaves with the same (pre-renewal) cookie.
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(jar, '/api/me')));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const r of answers) expect(Me.parse(await r.json()).principal.groups).toEqual([]);
    // Had two refreshes raced, the provider would have revoked the grant: the next renewal proves it did not.
    await control('/idp/groups', { user: ADMIN.user, groups: ADMIN.groups });
    await pastRefresh();
    const res = await get(jar, '/api/me');
    expect(res.status).toBe(200);
    expect(Me.parse(await res.json()).principal.groups).toEqual(ADMIN.groups);
  });

  it('ends the session with 401 when the provider refuses the refresh (person disabled)', async () => {
    const jar = await signIn(ADMIN.user, ADMIN.password);
    expect((await get(jar, '/api/me')).status).toBe(200);
    await control('/idp/disabled', { user: ADMIN.user, disabled: true });
    await pastRefresh();
    const res = await get(jar, '/api/fleet');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      'your sign-in could not be renewed with the identity provider; sign in again',
    );
    // The cookie is cleared: the next request is simply not signed in.
    const again = await get(jar, '/api/me');
    expect(again.status).toBe(401);
    expect(((await again.json()) as { detail: string }).detail).toBe('sign in to use this API');
  });
});
