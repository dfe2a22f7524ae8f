import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

import { MFA_ACR, PASSWORD_ACR, TESTBED_OTP } from './mfa.ts';

export { MFA_ACR, PASSWORD_ACR, TESTBED_OTP } from './mfa.ts';

export interface OidcUser {
  user: string;
  password: string;
  groups: string[];
  /** The one-time code of the second factor (default TESTBED_OTP). */
  otp?: string;
}
export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}
export interface RunningOidcProvider {
  issuer: string;
  version: string;
  /** Test-only: the groups the provider states for `user` from now on (next sign-in or refresh). */
  setGroups(user: string, groups: readonly string[]): void;
  /** Test-only: a disabled user cannot sign in, and their refresh tokens are refused (`invalid_grant`). */
  setDisabled(user: string, disabled: boolean): void;
  close(): Promise<void>;
}

const SCOPES = 'openid profile email groups';
const version = (createRequire(import.meta.url)('oidc-provider/package.json') as { version: string }).version;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the authorization request asked of this sign-in, as the provider understood it. */
interface LoginAsk {
  reasons: readonly string[];
  acrValues: string | undefined;
  maxAge: string | undefined;
  prompt: string | undefined;
  /** `acr_values` names MFA_ACR: the one-time code is required. */
  secondFactor: boolean;
}

function askOf(details: { prompt: { reasons: string[] }; params: Record<string, unknown> }): LoginAsk {
  const acrValues = typeof details.params.acr_values === 'string' ? details.params.acr_values : undefined;
  const maxAge = details.params.max_age;
  return {
    reasons: details.prompt.reasons,
    acrValues,
    maxAge: typeof maxAge === 'string' || typeof maxAge === 'number' ? String(maxAge) : undefined,
    prompt: typeof details.params.prompt === 'string' ? details.params.prompt : undefined,
    secondFactor: acrValues?.split(' ').includes(MFA_ACR) ?? false,
  };
}

// The data-* attributes let a test see what the provider was asked (prompt, max_age,
// acr_values) without reaching into the provider's process. oidc-provider turns max_age=0
// into prompt=login before we see it.
function loginPage(uid: string, ask: LoginAsk, error?: string): string {
  const data = [
    `data-reasons="${escapeHtml(ask.reasons.join(' '))}"`,
    ask.acrValues !== undefined ? `data-acr-values="${escapeHtml(ask.acrValues)}"` : '',
    ask.maxAge !== undefined ? `data-max-age="${escapeHtml(ask.maxAge)}"` : '',
    ask.prompt !== undefined ? `data-prompt="${escapeHtml(ask.prompt)}"` : '',
    `data-second-factor="${ask.secondFactor}"`,
  ].join(' ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Testbed sign-in</title></head><body>
<h1>Fleetdeck testbed identity provider</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<p id="sign-in-request" ${data}>${ask.secondFactor ? 'Have your one-time code ready.' : 'Sign in.'}</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>User <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<label>One-time code${ask.secondFactor ? '' : ' (optional)'} <input name="otp" inputmode="numeric" autocomplete="one-time-code"${ask.secondFactor ? ' required' : ''}></label>
<button type="submit">Sign in</button>
</form></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

function samePassword(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on loopback for the testbed: the demo
 * users with their `groups` claim, authorization code with PKCE (S256, required),
 * RP-initiated logout, refresh tokens (rotated on every use, as strict IdPs do; the
 * refresh grant returns a fresh ID token with the current groups), and a minimal login
 * form of our own (no dev interactions). Consent is granted automatically for the
 * configured clients.
 *
 * Second factor: the form takes an optional one-time code (each user's `otp`). With it the
 * ID token says `amr: ["pwd","otp","mfa"]`, `acr: MFA_ACR`; without it `amr: ["pwd"]`,
 * `acr: PASSWORD_ACR`. A request with `acr_values` naming MFA_ACR (a step-up) requires it.
 * A refresh keeps the sign-in's `amr`/`acr` (the refresh token carries them), as most IdPs do.
 */
export async function startOidcProvider(opts: {
  port?: number;
  users: readonly OidcUser[];
  clients: readonly OidcClient[];
}): Promise<RunningOidcProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Copies: tests change groups while the provider runs.
  const users = new Map(opts.users.map((u) => [u.user, { ...u, groups: [...u.groups] }]));
  const disabled = new Set<string>();
  const account = (id: string) => (disabled.has(id) ? undefined : users.get(id));

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const configuration: Configuration = {
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.redirectUris.map((u) => new URL('/login', u).toString()),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    // Every client, confidential or not, must use PKCE.
    pkce: { required: () => true },
    scopes: SCOPES.split(' '),
    acrValues: [PASSWORD_ACR, MFA_ACR],
    // acr, amr and auth_time describe the sign-in itself: in every ID token, whatever the scopes.
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    // Put the claims of the granted scopes into the ID token itself, as most IdPs do for groups.
    conformIdTokenClaims: false,
    // Refresh tokens for our clients without asking for offline_access (the default
    // requires it), as enterprise IdPs do for their first-party web apps.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Every refresh returns a new refresh token and retires the old one; reusing a retired
    // one revokes the grant. Relying parties must store the rotated token and never race.
    rotateRefreshToken: true,
    findAccount: (_ctx, id) => {
      const u = account(id);
      if (!u) return undefined;
      return { accountId: id, claims: () => ({ sub: id, email: u.user, email_verified: true, name: u.user, groups: u.groups }) };
    },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      // Our own clients: consent is implied, as for an enterprise IdP's first-party apps.
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...signingKey, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, IdToken: 600, AccessToken: 600, AuthorizationCode: 60 },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (!match) {
      void callback(req, res);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name !== 'login') {
          // Consent is implied by loadExistingGrant; anything else is not ours to handle.
          await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
          return;
        }
        const ask = askOf(details);
        const refuse = (message: string) =>
          void res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, ask, message));
        if (req.method === 'GET' && !match[2]) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, ask));
          return;
        }
        if (req.method === 'POST' && match[2]) {
          const form = await readForm(req);
          const user = account(form.get('login') ?? '');
          if (!user || !samePassword(form.get('password') ?? '', user.password)) return refuse('Wrong user or password.');
          const otp = form.get('otp') ?? '';
          if (otp === '' && ask.secondFactor) return refuse('This sign-in needs your one-time code.');
          if (otp !== '' && !samePassword(otp, user.otp ?? TESTBED_OTP)) return refuse('Wrong one-time code.');
          const login =
            otp === ''
              ? { accountId: user.user, amr: ['pwd'], acr: PASSWORD_ACR }
              : { accountId: user.user, amr: ['pwd', 'otp', 'mfa'], acr: MFA_ACR };
          await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
          return;
        }
        res.writeHead(405).end();
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`interaction failed: ${(err as Error).message}`);
      }
    })();
  });

  return {
    issuer,
    version: `oidc-provider ${version} (npm)`,
    setGroups(user, groups) {
      const u = users.get(user);
      if (!u) throw new Error(`no such user: ${user}`);
      u.groups = [...groups];
    },
    setDisabled(user, off) {
      if (!users.has(user)) throw new Error(`no such user: ${user}`);
      if (off) disabled.add(user);
      else disabled.delete(user);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
