import {
  CallbackQuery,
  DEMO_USERS,
  DemoLoginQuery,
  LoginQuery,
  apiPaths,
  type AuthConfig,
  type LogoutResult,
  type Me,
} from '@fleetdeck/shared';

import { HttpProblem } from '../lib/problem.ts';
import { AUTHENTICATED, PUBLIC, defineRoute, type AnyRoute, type Services } from './route.ts';

function oidcOf(services: Services) {
  if (!services.oidc) throw new HttpProblem(404, 'single sign-on is not configured');
  return services.oidc;
}

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
    const persona = DEMO_USERS.find((u) => u.user === query.as)!;
    const principal = { user: persona.user, groups: [...persona.groups], displayName: persona.displayName };
    await services.sessions.signIn(req, res, principal);
    services.audit.record({
      requestId,
      actor: principal.user,
      groups: principal.groups,
      action: 'sign-in',
      target: 'session',
      result: 'success',
      detail: 'demo',
    });
    res.redirect(303, '/');
  },
});

const loginRoute = defineRoute({
  method: 'get',
  path: apiPaths.login,
  permission: PUBLIC,
  summary: 'Starts OIDC sign-in (authorization code + PKCE) and redirects to the provider.',
  query: LoginQuery,
  handler: async ({ req, res, query, services }) => {
    const url = await oidcOf(services).begin(req, res, query.returnTo);
    res.redirect(303, url.toString());
  },
});

const callbackRoute = defineRoute({
  method: 'get',
  path: apiPaths.callback,
  permission: PUBLIC,
  summary: "The OIDC provider's redirect back: checks state, nonce and PKCE, then signs in.",
  query: CallbackQuery,
  handler: async ({ req, res, query, services, requestId }) => {
    if (query.error) {
      services.audit.record({
        requestId,
        actor: 'anonymous',
        groups: [],
        action: 'sign-in',
        target: 'session',
        result: 'failure',
        detail: query.error,
      });
      throw new HttpProblem(
        401,
        `the sign-in provider refused: ${query.error}${query.error_description ? ` (${query.error_description})` : ''}`,
      );
    }
    const { principal, returnTo } = await oidcOf(services).complete(req, res, new URL(req.originalUrl, 'http://callback.invalid'));
    await services.sessions.signIn(req, res, principal);
    services.audit.record({
      requestId,
      actor: principal.user,
      groups: principal.groups,
      action: 'sign-in',
      target: 'session',
      result: 'success',
      detail: 'oidc',
    });
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
    services.audit.record({
      requestId,
      actor: principal.user,
      groups: principal.groups,
      action: 'sign-out',
      target: 'session',
      result: 'success',
    });
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
