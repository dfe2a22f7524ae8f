import { timingSafeEqual } from 'node:crypto';

import type { Request, Response } from 'express';
import { z } from 'zod';

import { CSRF_HEADER, type Principal, type Scope } from '@fleetdeck/shared';

import { HttpProblem, badRequestFromZod } from '../lib/problem.ts';
import type { AnyRoute, Services } from '../services.ts';
import { resolveScope } from './resolve-scope.ts';
import { holdsVerb } from './scope-checks.ts';

const NO_QUERY = z.strictObject({});

export interface Authorized {
  /** The session's id (for per-session limits); never sent to anyone. */
  sid: string | undefined;
  principal: Principal | undefined;
  scope: Scope | undefined;
  csrf: string | undefined;
}

/**
 * The one place a route's permission is enforced, before its handler runs. Denied
 * attempts by a signed-in person are audited; anonymous ones are only counted.
 */
export async function authorize(route: AnyRoute, req: Request, res: Response, services: Services, requestId: string): Promise<Authorized> {
  const session = await services.sessions.read(req, res);
  const principal = session.status === 'active' ? session.principal : undefined;
  const scope = principal ? resolveScope(principal, services.policy) : undefined;
  const csrf = session.status === 'active' ? session.csrf : undefined;
  const sid = session.status === 'active' ? session.sid : undefined;
  const { permission } = route;

  if (permission.kind === 'public') return { sid, principal, scope, csrf };
  if (!principal || !scope || !csrf || !sid) {
    throw new HttpProblem(401, session.status === 'expired' ? `${session.reason}; sign in again` : 'sign in to use this API');
  }
  if (permission.kind === 'verb' && !holdsVerb(scope, permission.verb)) {
    services.audit.record({
      requestId,
      actor: principal.user,
      groups: principal.groups,
      action: 'denied',
      target: `${route.method.toUpperCase()} ${route.path}`,
      result: 'denied',
      detail: `needs "${permission.verb}"`,
    });
    throw new HttpProblem(403, `this needs the "${permission.verb}" permission, which none of your roles grants`);
  }
  if (route.method !== 'get') checkCsrf(req, csrf, publicOrigin(req, services));
  return { sid, principal, scope, csrf };
}

/**
 * The origin people reach this BFF at, scheme included: from the OIDC redirect URL when
 * there is one (the deployment's own statement of its public URL), else from the
 * request as Express sees it (X-Forwarded-Proto/Host only when TRUST_PROXY is set).
 */
export function publicOrigin(req: Request, services: Pick<Services, 'config'>): string {
  const redirect = services.config.auth.oidc?.redirectUrl;
  if (redirect) return new URL(redirect).origin;
  return `${req.protocol}://${services.config.server.trustProxy ? req.host : (req.get('host') ?? '')}`;
}

/**
 * Same-origin check plus a token only this session knows. Browsers always send Origin
 * on cross-site POSTs; a request without both is refused. `Origin: null` (sandboxed
 * frames, some redirects) never matches.
 */
function checkCsrf(req: Request, expected: string, origin: string): void {
  const sent = req.get('origin');
  if (!sent || originOf(sent) !== origin) {
    throw new HttpProblem(403, 'cross-origin request refused (Origin must match this site)');
  }
  const token = req.get(CSRF_HEADER) ?? '';
  const a = Buffer.from(token);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new HttpProblem(403, `missing or wrong ${CSRF_HEADER} header (take it from GET /api/me)`);
  }
}

function originOf(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/** Validates query and body against the route's schemas (no schema: nothing accepted). */
export function parseInput(route: AnyRoute, req: Request): { query: unknown; body: unknown; params: Record<string, string> } {
  let params: Record<string, string> = {};
  if (route.params) {
    const p = z.safeParse(route.params, req.params);
    if (!p.success) throw badRequestFromZod('params', p.error);
    params = p.data as Record<string, string>;
  }
  const q = z.safeParse(route.query ?? NO_QUERY, req.query);
  if (!q.success) throw badRequestFromZod('query', q.error);
  let body: unknown = undefined;
  if (route.body) {
    const b = z.safeParse(route.body, req.body);
    if (!b.success) throw badRequestFromZod('body', b.error);
    body = b.data;
  } else if (req.body !== undefined && Object.keys(req.body as object).length > 0) {
    throw new HttpProblem(400, 'this route takes no request body');
  }
  return { query: q.data, body, params };
}
