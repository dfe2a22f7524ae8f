import * as client from 'openid-client';
import { describe, expect, inject, it } from 'vitest';

import { CookieJar, MFA_ACR, PASSWORD_ACR, TESTBED_OTP, signInThroughProvider } from '../../src/idp/browser-login.ts';
import '../../src/vitest-context.ts';

/** The testbed provider's second factor: what its ID tokens say about how a person signed in. */
const env = inject('testbed');
const redirect = env.oidc.redirectUris[0]!;
const u = env.oidc.users.find((x) => x.user === 'client-a-admin@demo')!;

async function discover() {
  return client.discovery(new URL(env.oidc.issuer), env.oidc.clientId, undefined, client.ClientSecretBasic(env.oidc.clientSecret), {
    execute: [client.allowInsecureRequests],
  });
}

async function signIn(config: client.Configuration, jar: CookieJar, extra: Record<string, string>, otp?: string) {
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
  const { callback, pages } = await signInThroughProvider({
    start: url,
    user: u.user,
    password: u.password,
    stopAt: redirect,
    jar,
    ...(otp !== undefined && { otp }),
  });
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
  return { tokens, claims: tokens.claims()!, pages };
}

describe("the testbed provider's second factor (amr / acr)", () => {
  it('advertises its two levels', async () => {
    expect((await discover()).serverMetadata().acr_values_supported).toEqual([PASSWORD_ACR, MFA_ACR]);
  });

  it('a password: amr ["pwd"], acr pwd; with the one-time code: amr ["pwd","otp","mfa"], acr mfa, kept by a refresh', async () => {
    const config = await discover();
    const plain = await signIn(config, new CookieJar(), {});
    expect(plain.claims).toMatchObject({ amr: ['pwd'], acr: PASSWORD_ACR });
    const strong = await signIn(config, new CookieJar(), {}, TESTBED_OTP);
    expect(strong.claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: MFA_ACR });
    expect(typeof strong.claims.auth_time).toBe('number');
    // A refresh authenticates nobody: the refreshed ID token repeats the sign-in's amr/acr.
    const renewed = await client.refreshTokenGrant(config, strong.tokens.refresh_token!);
    expect(renewed.claims()).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: MFA_ACR, auth_time: strong.claims.auth_time });
  });

  it('a step-up (acr_values=mfa, prompt=login) shows the form again over a live session and requires the code', async () => {
    const config = await discover();
    const jar = new CookieJar();
    await signIn(config, jar, {});
    expect((await signIn(config, jar, {})).pages).toEqual([]);
    const stepped = await signIn(config, jar, { acr_values: MFA_ACR, prompt: 'login' }, TESTBED_OTP);
    expect(stepped.pages).toEqual([expect.objectContaining({ acrValues: MFA_ACR, prompt: 'login', secondFactorRequired: true })]);
    expect(stepped.claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: MFA_ACR });
    await expect(signIn(config, jar, { acr_values: MFA_ACR, prompt: 'login' })).rejects.toThrow(/with 401: .*needs your one-time code/s);
  });
});
