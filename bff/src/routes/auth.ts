import { DEMO_USERS, DemoLoginQuery, apiPaths, type AuthConfig, type Me } from '@fleetdeck/shared';

import { AUTHENTICATED, PUBLIC, defineRoute, type AnyRoute } from './route.ts';

const authConfigRoute = defineRoute({
  method: 'get',
  path: apiPaths.authConfig,
  permission: PUBLIC,
  summary: 'How to sign in (demo personas or OIDC), for the sign-in page.',
  handler: ({ res, services }) => {
    const demo = services.config.mode === 'demo';
    const body: AuthConfig = {
      mode: demo ? 'demo' : 'oidc',
      demoUsers: demo ? DEMO_USERS.map(({ user, displayName, role }) => ({ user, displayName, role })) : [],
    };
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

const logoutRoute = defineRoute({
  method: 'post',
  path: apiPaths.logout,
  permission: AUTHENTICATED,
  summary: 'Sign out: clears the session cookie.',
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
    res.status(204).end();
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
  return [authConfigRoute, ...(mode === 'demo' ? [demoLoginRoute] : []), logoutRoute, meRoute];
}
