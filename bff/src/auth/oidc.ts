import type { IncomingMessage, ServerResponse } from 'node:http';

import { getIronSession } from 'iron-session';
import * as oidc from 'openid-client';

import type { Principal } from '@fleetdeck/shared';

import type { Config } from '../config/schema.ts';
import { HttpProblem } from '../lib/problem.ts';
import { mfaFromClaims, stepUpParameters } from './mfa.ts';
import { RenewalRefused, type Renewal } from './renewal.ts';

type OidcConfig = NonNullable<Config['auth']['oidc']>;

/** What must survive the round trip to the provider; sealed in a short-lived cookie of its own. */
interface LoginState {
  verifier?: string;
  state?: string;
  nonce?: string;
  returnTo?: string;
  /** A step-up sign-in: the provider was asked to sign the person in again (with MFA). */
  stepUp?: boolean;
}

/** How a sign-in starts: `stepUp` asks the provider to re-authenticate now, at `acrValues` when given. */
export interface BeginOptions {
  stepUp?: { acrValues?: string | undefined };
}

const LOGIN_COOKIE_TTL_SECONDS = 600;

/**
 * The person's name: the configured claim, but an `email` only when the provider says
 * it verified it (an unverified address can be anyone's); otherwise the `sub`ject,
 * which the provider guarantees unique.
 */
export function userFromClaims(claims: Record<string, unknown> & { sub: string }, userClaim: string): string {
  const name = claims[userClaim];
  if (typeof name !== 'string' || name === '') return claims.sub;
  if (userClaim === 'email' && claims.email_verified !== true) return claims.sub;
  return name;
}

/**
 * Only same-site paths: a returnTo can never send a person to another origin. Browsers
 * read a backslash as `/` and drop tabs and newlines, so `/\evil` or `/<TAB>/evil` would
 * be `//evil`: backslashes and control characters are refused anywhere.
 */
export function isSafeReturnTo(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  return value.startsWith('/') && !value.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(value);
}

export function safeReturnTo(value: string | undefined): string {
  return value !== undefined && isSafeReturnTo(value) ? value : '/';
}

/**
 * OpenID Connect sign-in: authorization code with PKCE (S256), state and nonce, via
 * `openid-client`. The provider's metadata is discovered on first use and retried on
 * the next sign-in if the provider was down, so an IdP outage never stops the BFF.
 */
export class OidcSignIn {
  readonly #cfg: OidcConfig;
  readonly #secret: string;
  readonly #secure: boolean;
  #discovered: Promise<oidc.Configuration> | undefined;

  constructor(cfg: OidcConfig, sessionSecret: string) {
    this.#cfg = cfg;
    this.#secret = sessionSecret;
    this.#secure = cfg.redirectUrl.startsWith('https:');
  }

  #configuration(): Promise<oidc.Configuration> {
    this.#discovered ??= oidc
      .discovery(
        new URL(this.#cfg.issuerUrl),
        this.#cfg.clientId,
        undefined,
        this.#cfg.clientSecret ? oidc.ClientSecretBasic(this.#cfg.clientSecret) : oidc.None(),
        this.#cfg.allowInsecureHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        this.#discovered = undefined;
        throw new HttpProblem(503, 'the sign-in provider is unreachable; try again shortly', { cause: err });
      });
    return this.#discovered;
  }

  #loginState(req: IncomingMessage, res: ServerResponse) {
    return getIronSession<LoginState>(req, res, {
      password: this.#secret,
      cookieName: 'fleetdeck_login',
      ttl: LOGIN_COOKIE_TTL_SECONDS,
      cookieOptions: { httpOnly: true, sameSite: 'lax', secure: this.#secure, path: '/api/auth' },
    });
  }

  /**
   * Starts sign-in: remembers the PKCE verifier, state and nonce, and returns the provider
   * URL; a step-up adds `prompt=login`, `max_age=0` and `acr_values` (see `stepUpParameters`).
   */
  async begin(req: IncomingMessage, res: ServerResponse, returnTo: string | undefined, options: BeginOptions = {}): Promise<URL> {
    const config = await this.#configuration();
    const login = await this.#loginState(req, res);
    login.verifier = oidc.randomPKCECodeVerifier();
    login.state = oidc.randomState();
    login.nonce = oidc.randomNonce();
    login.returnTo = safeReturnTo(returnTo);
    if (options.stepUp) login.stepUp = true;
    else delete login.stepUp;
    await login.save();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.#cfg.redirectUrl,
      scope: this.#cfg.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier),
      code_challenge_method: 'S256',
      state: login.state,
      nonce: login.nonce,
      ...(options.stepUp && stepUpParameters(options.stepUp.acrValues)),
    });
  }

  /**
   * Finishes sign-in: checks state, nonce and PKCE, and maps the ID token's claims to a
   * principal. The provider's refresh token, when it issued one, comes back too: the
   * session keeps it (sealed) to re-check the groups later. `principal.mfa` says whether
   * the ID token shows a second factor (`mfaFromClaims` with `acceptAcr`); `stepUp` whether
   * this sign-in was started as a step-up, whose ID token must then be fresh (`auth_time`
   * within `max_age=0` plus the clock tolerance).
   */
  async complete(
    req: IncomingMessage,
    res: ServerResponse,
    callbackUrl: URL,
    acceptAcr: readonly string[] = [],
  ): Promise<{ principal: Principal; returnTo: string; refreshToken?: string; stepUp: boolean }> {
    const config = await this.#configuration();
    const login = await this.#loginState(req, res);
    const { verifier, state, nonce, returnTo, stepUp = false } = login;
    login.destroy();
    if (!verifier || !state || !nonce) throw new HttpProblem(400, 'sign-in expired or was started in another browser; start again');
    // The provider redirected to our public redirect URL; validate against it, not the internal one.
    const current = new URL(this.#cfg.redirectUrl);
    current.search = callbackUrl.search;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
        // A step-up asked for a sign-in now: an ID token from an older one is refused.
        ...(stepUp && { maxAge: 0 }),
      });
    } catch (err) {
      // The provider's words (and any address in them) go to the log, not the browser.
      throw new HttpProblem(401, 'sign-in was not completed (the provider did not confirm it); start again', { cause: err });
    }
    const claims = tokens.claims();
    if (!claims) throw new HttpProblem(401, 'the provider returned no ID token');
    return {
      principal: { ...this.#principalFrom(claims), mfa: mfaFromClaims(claims, acceptAcr) },
      returnTo: safeReturnTo(returnTo),
      stepUp,
      ...(tokens.refresh_token && { refreshToken: tokens.refresh_token }),
    };
  }

  #principalFrom(claims: Record<string, unknown> & { sub: string }): Principal {
    const user = userFromClaims(claims, this.#cfg.userClaim);
    const rawGroups = claims[this.#cfg.groupsClaim];
    const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : [];
    const displayName = typeof claims.name === 'string' ? claims.name : undefined;
    return { user, groups, ...(displayName && { displayName }) };
  }

  /**
   * Renews a sign-in with its refresh token (the session's periodic group re-check): the
   * principal from the new ID token, or from userinfo when that token lacks the groups
   * claim (or there is none), through `admit` (what sign-in does: `admitPrincipal`).
   * A refusal by the provider (`invalid_grant`: token revoked or expired, person
   * disabled) or by `admit` throws `RenewalRefused`; anything else (the provider down,
   * a 5xx) is an ordinary error, and the session is kept and asked again later.
   * The renewed principal carries no `mfa`: the session keeps the sign-in's (`keepSignInMfa`).
   */
  async renew(refreshToken: string, admit: (principal: Principal) => Principal): Promise<Renewal> {
    const config = await this.#configuration();
    let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
    try {
      tokens = await oidc.refreshTokenGrant(config, refreshToken);
    } catch (err) {
      if (err instanceof oidc.ResponseBodyError && err.error === 'invalid_grant')
        throw new RenewalRefused('the provider refused the refresh token', { cause: err });
      throw err;
    }
    let claims: (Record<string, unknown> & { sub: string }) | undefined = tokens.claims();
    if (!claims || !(this.#cfg.groupsClaim in claims)) {
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? oidc.skipSubjectCheck);
      claims = { ...claims, ...userinfo };
    }
    let principal: Principal;
    try {
      principal = admit(this.#principalFrom(claims));
    } catch (err) {
      throw new RenewalRefused(`the access policy now refuses this person: ${(err as Error).message}`, { cause: err });
    }
    return { principal, ...(tokens.refresh_token && tokens.refresh_token !== refreshToken && { refreshToken: tokens.refresh_token }) };
  }

  /** Where to send the browser to end the provider's session too, when it supports that. */
  async endSessionUrl(): Promise<string | undefined> {
    try {
      const config = await this.#configuration();
      if (!config.serverMetadata().end_session_endpoint) return undefined;
      return oidc
        .buildEndSessionUrl(config, {
          client_id: this.#cfg.clientId,
          ...(this.#cfg.postLogoutRedirectUrl && { post_logout_redirect_uri: this.#cfg.postLogoutRedirectUrl }),
        })
        .toString();
    } catch {
      // The local session is gone either way; the provider's can end on its own.
      return undefined;
    }
  }
}
