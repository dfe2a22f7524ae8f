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
});
