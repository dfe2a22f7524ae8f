import type { Request, Response } from 'express';
import type { z } from 'zod';

import type { Principal, Scope, Verb } from '@fleetdeck/shared';

import type { AccessPolicy } from '../access/policy.ts';
import type { AuditSink } from '../audit/audit-log.ts';
import type { OidcSignIn } from '../auth/oidc.ts';
import type { SessionManager } from '../auth/session.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/logger.ts';
import type { Metrics } from '../lib/metrics.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { HealthSource } from '../sources/health/health-source.ts';
import type { InventorySource } from '../sources/inventory.ts';
import type { RolloutIndex } from '../sources/rollouts/rollout-index.ts';
import type { SpokeWorkloads } from '../sources/spokes/spoke-workloads.ts';

/**
 * What a route needs before its handler may run. There is no default: a route that
 * does not say is a type error, and `registerRoutes` refuses it at run time too.
 */
export type Permission = { readonly kind: 'public' } | { readonly kind: 'authenticated' } | { readonly kind: 'verb'; readonly verb: Verb };

export const PUBLIC = { kind: 'public' } as const satisfies Permission;
export const AUTHENTICATED = { kind: 'authenticated' } as const satisfies Permission;
export const requires = <V extends Verb>(verb: V) => ({ kind: 'verb', verb }) as const satisfies Permission;

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The app's dependencies; routes reach upstreams only through these. */
export interface Services {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  sessions: SessionManager;
  /** Present in real mode: OpenID Connect sign-in. */
  oidc?: OidcSignIn;
  policy: AccessPolicy;
  audit: AuditSink;
  inventory: InventorySource;
  events: EventHub;
  health: HealthSource;
  rollouts: RolloutIndex;
  /** Connections to member clusters for drill-down, when configured. */
  spokes?: SpokeWorkloads;
  /** True once SIGTERM arrived: readiness fails so the load balancer drains us. */
  isShuttingDown(): boolean;
}

type Identity<P extends Permission> = P extends { kind: 'public' }
  ? { principal: Principal | undefined; scope: Scope | undefined }
  : { principal: Principal; scope: Scope; csrf: string };

export type HandlerArgs<P extends Permission, Q, B> = Identity<P> & {
  req: Request;
  res: Response;
  query: Q;
  body: B;
  params: Record<string, string>;
  requestId: string;
  services: Services;
};

export interface RouteDef<P extends Permission = Permission, Q = unknown, B = unknown> {
  method: Method;
  path: string;
  permission: P;
  /** One line for the route list in the README and the access note. */
  summary: string;
  /** Validates path parameters (`:name`); required when the path has any. */
  params?: z.ZodType;
  /** Validates `req.query`; routes without one accept no query parameters. */
  query?: z.ZodType<Q>;
  /** Validates the JSON body of mutating routes; without one, a body is refused. */
  body?: z.ZodType<B>;
  handler(args: HandlerArgs<P, Q, B>): Promise<void> | void;
}

/** Keeps each route's handler typed by its own permission and schemas. */
export function defineRoute<P extends Permission, Q = Record<string, never>, B = undefined>(route: RouteDef<P, Q, B>): RouteDef<P, Q, B> {
  return route;
}

// A route list holds routes of many shapes; the handler types were checked at defineRoute.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous list; each entry was typed by defineRoute
export type AnyRoute = RouteDef<Permission, any, any>;
