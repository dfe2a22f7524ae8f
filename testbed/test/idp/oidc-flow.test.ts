import * as client from 'openid-client';
import { describe, expect, inject, it } from 'vitest';

import { signInThroughProvider } from '../../src/idp/browser-login.ts';
import '../../src/vitest-context.ts';

const env = inject('testbed');
const redirect = env.oidc.redirectUris[0]!;

async function discover() {
  return client.discovery(new URL(env.oidc.issuer), env.oidc.clientId, undefined, client.ClientSecretBasic(env.oidc.clientSecret), {
    execute: [client.allowInsecureRequests],
  });
}

async function authorize(config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: 'openid profile email groups',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  return { url, verifier, state };
}

describe("the testbed's OIDC provider", () => {
  for (const u of env.oidc.users) {
    it(`issues ${u.user} an ID token with the groups claim (authorization code + PKCE)`, async () => {
      const config = await discover();
      const { url, verifier, state } = await authorize(config);
      const { callback } = await signInThroughProvider({ start: url, user: u.user, password: u.password, stopAt: redirect });
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
      const claims = tokens.claims()!;
      expect(claims.iss).toBe(env.oidc.issuer);
      expect(claims.email).toBe(u.user);
      expect(claims.groups).toEqual(u.groups);
    });
  }

  it('refuses a wrong password', async () => {
    const config = await discover();
    const { url } = await authorize(config);
    await expect(signInThroughProvider({ start: url, user: env.oidc.users[0]!.user, password: 'wrong', stopAt: redirect })).rejects.toThrow(
      /401/,
    );
  });

  it('refuses a code exchange without the PKCE verifier', async () => {
    const config = await discover();
    const { url, state } = await authorize(config);
    const { callback } = await signInThroughProvider({
      start: url,
      user: env.oidc.users[0]!.user,
      password: env.oidc.users[0]!.password,
      stopAt: redirect,
    });
    const refused = await client
      .authorizationCodeGrant(config, callback, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: state })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(client.ResponseBodyError);
    expect((refused as client.ResponseBodyError).error).toBe('invalid_grant');
  });

  it('refuses an authorization request without PKCE and an unknown client', async () => {
    const res = await fetch(
      `${env.oidc.issuer}/auth?${new URLSearchParams({ client_id: env.oidc.clientId, redirect_uri: redirect, response_type: 'code', scope: 'openid' })}`,
      { redirect: 'manual' },
    );
    const location = new URL(res.headers.get('location') ?? 'http://x/', env.oidc.issuer);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    const unknown = await fetch(
      `${env.oidc.issuer}/auth?${new URLSearchParams({ client_id: 'nobody', redirect_uri: redirect, response_type: 'code', scope: 'openid' })}`,
      { redirect: 'manual' },
    );
    expect(unknown.status).toBe(400);
  });

  it('issues a rotating refresh token whose grant returns an ID token with the current groups', async () => {
    const u = env.oidc.users.find((x) => x.user === 'client-b-viewer@demo')!;
    const control = (path: string, body: unknown) => fetch(`${env.control.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    const config = await discover();
    const { url, verifier, state } = await authorize(config);
    const { callback } = await signInThroughProvider({ start: url, user: u.user, password: u.password, stopAt: redirect });
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.refresh_token).toBeTruthy();
    try {
      expect((await control('/idp/groups', { user: u.user, groups: ['somewhere-else'] })).status).toBe(204);
      const renewed = await client.refreshTokenGrant(config, tokens.refresh_token!);
      expect(renewed.claims()).toMatchObject({ sub: u.user, groups: ['somewhere-else'] });
      expect(renewed.refresh_token).toBeTruthy();
      expect(renewed.refresh_token).not.toBe(tokens.refresh_token);
      // A retired refresh token is refused, and its reuse revokes the grant (the new token too).
      const reused = await client.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e);
      expect((reused as client.ResponseBodyError).error).toBe('invalid_grant');
      const revoked = await client.refreshTokenGrant(config, renewed.refresh_token!).catch((e: unknown) => e);
      expect((revoked as client.ResponseBodyError).error).toBe('invalid_grant');
    } finally {
      await control('/idp/groups', { user: u.user, groups: u.groups });
    }
  });

  it('refuses the refresh of a disabled user (invalid_grant)', async () => {
    const u = env.oidc.users.find((x) => x.user === 'client-b-viewer@demo')!;
    const control = (path: string, body: unknown) => fetch(`${env.control.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    const config = await discover();
    const { url, verifier, state } = await authorize(config);
    const { callback } = await signInThroughProvider({ start: url, user: u.user, password: u.password, stopAt: redirect });
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    try {
      expect((await control('/idp/disabled', { user: u.user, disabled: true })).status).toBe(204);
      const refused = await client.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e);
      expect((refused as client.ResponseBodyError).error).toBe('invalid_grant');
    } finally {
      await control('/idp/disabled', { user: u.user, disabled: false });
    }
  });
});
