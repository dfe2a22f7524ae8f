import {
  CallbackQuery,
  DEMO_USERS,
  DemoLoginQuery,
  LoginQuery,
  apiPaths,
  type AuthConfig,
  type LogoutResult,
  type Me,
  type Principal,
} from '@fleetdeck/shared';
import type { Request, Response } from 'express';

import { admitPrincipal } from '../access/identity.ts';
import { isSafeReturnTo } from '../auth/oidc.ts';
import type { AuditRecord } from '../audit/audit-log.ts';
import { HttpProblem } from '../lib/problem.ts';
import { AUTHENTICATED, PUBLIC, defineRoute, type AnyRoute, type Services } from './route.ts';

function oidcOf(services: Services) {
  if (!services.oidc) throw new HttpProblem(404, 'single sign-on is not configured');
  return services.oidc;
}

/** One audit record about a session: sign-in, sign-out, or a refused sign-in. */
function auditSession(
  services: Services,
  requestId: string,
  who: Pick<Principal, 'user' | 'groups'> | undefined,
  action: 'sign-in' | 'sign-out',
  result: AuditRecord['result'],
  detail?: string,
): void {
  services.audit.record({
    requestId,
    actor: who?.user ?? 'anonymous',
    groups: who?.groups ?? [],
    action,
    target: 'session',
    result,
    ...(detail !== undefined && { detail }),
  });
}

/**
 * Signs a person in after `admitPrincipal`; a refused identity is audited and answered
 * 403. The provider's refresh token, if any, is sealed into the session for group re-checks.
 */
async function signIn(
  services: Services,
  req: Request,
  res: Response,
  requestId: string,
  raw: Principal,
  how: string,
  refreshToken?: string,
): Promise<void> {
  let principal: Principal;
  try {
    principal = admitPrincipal(raw, services.policy);
    await services.sessions.signIn(req, res, principal, refreshToken ? { refreshToken } : {});
  } catch (err) {
    auditSession(services, requestId, { user: raw.user, groups: [] }, 'sign-in', 'denied', (err as Error).message);
    throw err;
  }
  auditSession(services, requestId, principal, 'sign-in', 'success', how);
}

// OAuth 2.0 error codes are short ASCII words; anything else a caller put in ?error= is not echoed.
const OAUTH_ERROR = /^[a-z_]{1,64}$/;

const authConfigRoute = defineRoute({
  method: 'get',
  path: apiPaths.authConfig,
  permission: PUBLIC,
  summary: 'How to sign in (demo personas or OIDC), for the sign-in page.',
  handler: ({ res, services }) => {
    const demo = services.config.mode === 'demo';
    const body: AuthConfig = demo
      ? { mode: 'demo', demoUsers: DEMO_USERS.map(({ user, displayName, role }) => ({ user, displayName, role })) }
      : { mode: 'oidc', demoUsers: [], loginUrl: apiPaths.login };
    res.json(body);
  },
});

/** Demo mode only: sign in as a persona. Outside demo mode the route is not registered (404). */
const demoLoginRoute = defineRoute({
  method: 'get',
  path: apiPaths.demoLogin,
  permission: PUBLIC,
  summary: 'Demo mode only: sign in as a demo persona and go to the dashboard.',
  query: DemoLoginQuery,
  handler: async ({ req, res, query, services, requestId }) => {
    // A GET that signs in: another site must not be able to sign a visitor in (login CSRF).
    if (req.get('sec-fetch-site') === 'cross-site') {
      throw new HttpProblem(403, 'demo sign-in refused: the request came from another site; open the dashboard and pick a persona there');
    }
    const persona = DEMO_USERS.find((u) => u.user === query.as)!;
    await signIn(
      services,
      req,
      res,
      requestId,
      { user: persona.user, groups: [...persona.groups], displayName: persona.displayName },
      'demo',
    );
    res.redirect(303, '/');
  },
});

const loginRoute = defineRoute({
  method: 'get',
  path: apiPaths.login,
  permission: PUBLIC,
  summary: 'Starts OIDC sign-in (authorization code + PKCE) and redirects to the provider; stepUp=mfa signs in again with MFA.',
  query: LoginQuery,
  handler: async ({ req, res, query, services }) => {
    // Refused rather than replaced: a link that would send a person off-site is not followed at all.
    if (query.returnTo !== undefined && !isSafeReturnTo(query.returnTo)) {
      throw new HttpProblem(400, 'returnTo must be a path on this site (starting with a single "/")');
    }
    const oidc = oidcOf(services);
    const url =
      query.stepUp === 'mfa'
        ? await oidc.begin(req, res, query.returnTo, { stepUp: { acrValues: services.config.promotion.mfa.acrValues } })
        : await oidc.begin(req, res, query.returnTo);
    res.redirect(303, url.toString());
  },
});

const STEP_UP_FAILED =
  'the identity provider did not confirm a second factor for this sign-in, so approvals that need multi-factor sign-in stay refused; your previous session is unchanged';

const callbackRoute = defineRoute({
  method: 'get',
  path: apiPaths.callback,
  permission: PUBLIC,
  summary: "The OIDC provider's redirect back: checks state, nonce and PKCE, then signs in.",
  query: CallbackQuery,
  handler: async ({ req, res, query, services, requestId }) => {
    if (query.error) {
      const code = OAUTH_ERROR.test(query.error) ? query.error : 'invalid_error_code';
      auditSession(services, requestId, undefined, 'sign-in', 'failure', code);
      // The provider's description may carry its internals; it is logged, not shown.
      throw new HttpProblem(401, `the sign-in provider refused (${code}); start again or ask an administrator`, {
        ...(query.error_description && { cause: new Error(query.error_description) }),
      });
    }
    const { principal, returnTo, refreshToken, stepUp } = await oidcOf(services).complete(
      req,
      res,
      new URL(req.originalUrl, 'http://callback.invalid'),
      services.config.promotion.mfa.acceptAcr,
    );
    if (stepUp && principal.mfa !== true) {
      // Signing in without MFA here would only send the person back to a refusal.
      auditSession(services, requestId, principal, 'sign-in', 'denied', 'step-up without a second factor');
      throw new HttpProblem(401, STEP_UP_FAILED);
    }
    const how = `oidc${stepUp ? ' step-up' : ''}${principal.mfa ? ' (mfa)' : ''}`;
    await signIn(services, req, res, requestId, principal, how, refreshToken);
    res.redirect(303, returnTo);
  },
});

const logoutRoute = defineRoute({
  method: 'post',
  path: apiPaths.logout,
  permission: AUTHENTICATED,
  summary: "Sign out: clears the session; names the provider's end-session URL when there is one.",
  handler: async ({ req, res, principal, services, requestId }) => {
    await services.sessions.signOut(req, res);
    auditSession(services, requestId, principal, 'sign-out', 'success');
    const endSessionUrl = services.oidc ? await services.oidc.endSessionUrl() : undefined;
    const body: LogoutResult = endSessionUrl ? { endSessionUrl } : {};
    res.json(body);
  },
});

const meRoute = defineRoute({
  method: 'get',
  path: apiPaths.me,
  permission: AUTHENTICATED,
  summary: 'The signed-in person, their effective scope and CSRF token.',
  handler: ({ res, principal, scope, csrf, services }) => {
    const body: Me = { principal, scope, csrfToken: csrf, authMode: services.config.mode === 'demo' ? 'demo' : 'oidc' };
    res.json(body);
  },
});

export function authRoutes(mode: 'demo' | 'real'): AnyRoute[] {
  return [authConfigRoute, ...(mode === 'demo' ? [demoLoginRoute] : [loginRoute, callbackRoute]), logoutRoute, meRoute];
}
