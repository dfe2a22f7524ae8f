import type { Request, Response } from 'express';
import type { $ZodType } from 'zod/v4/core';

import type { Principal, Scope, Verb } from '@fleetdeck/shared';

import type { AccessPolicy } from './access/policy.ts';
import type { AuditSink } from './audit/audit-log.ts';
import type { OidcSignIn } from './auth/oidc.ts';
import type { SessionManager } from './auth/session.ts';
import type { Config } from './config/schema.ts';
import type { EventHub } from './events/event-hub.ts';
import type { Logger } from './lib/logger.ts';
import type { Leadership, Notifier, ReadinessService } from './promotion/contracts.ts';
import type { Metrics } from './lib/metrics.ts';
import type { HealthSource } from './sources/health/health-source.ts';
import type { DeliveryService } from './sources/gitops/delivery-service.ts';
import type { InventorySource } from './sources/inventory.ts';
import type { LokiApi } from './sources/loki/loki-api.ts';
import type { PrometheusClient } from './sources/prometheus/prometheus-client.ts';
import type { RolloutService } from './sources/rollouts/rollout-service.ts';
import type { Spokes } from './sources/spokes/spokes.ts';
import type { ViolationSource } from './sources/violations/violation-source.ts';

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
  /** Every configured rollout source as one; per-person views are cut in access/rollout-access.ts. */
  rollouts: RolloutService;
  /** Prometheus/Thanos, in real mode when configured (PROMETHEUS_URL); the PromQL routes answer 503 without it. */
  prometheus?: PrometheusClient;
  /** Loki, in real mode when configured (LOKI_URL); the log routes answer 503 without it. */
  loki?: LokiApi;
  /** Every cluster's policy violations, unfiltered (watched with the BFF's identity, or the demo); per-person views are cut in access/violations/*. */
  violations: ViolationSource;
  /** Every configured GitOps delivery source (Fleet GitRepos, Argo CD Applications, the demo), unfiltered; per-person views are cut in access/deliveries/. */
  deliveries: DeliveryService;
  /** Promotion readiness of a rollout's wave (per person, and the BFF's own unscoped view). */
  readiness: ReadinessService;
  /** Promotion event webhooks (deliveries retried in the background; the leader replica sends). */
  notifier: Notifier;
  /** Whether this replica holds the hub Lease that decides who acts on rules. */
  leadership: Leadership;
  /** Connections to member clusters for drill-down, when configured. */
  spokes?: Spokes;
  /** True once SIGTERM arrived: readiness fails so the load balancer drains us. */
  isShuttingDown(): boolean;
}

/**
 * What a route needs before its handler may run. There is no default: a route that
 * does not say is a type error, and `registerRoutes` refuses it at run time too.
 */
export type Permission = { readonly kind: 'public' } | { readonly kind: 'authenticated' } | { readonly kind: 'verb'; readonly verb: Verb };

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Identity<P extends Permission> = P extends { kind: 'public' }
  ? { principal: Principal | undefined; scope: Scope | undefined }
  : { sid: string; principal: Principal; scope: Scope; csrf: string };

export type HandlerArgs<P extends Permission, Q, B, Pa> = Identity<P> & {
  req: Request;
  res: Response;
  query: Q;
  body: B;
  /** The path parameters as the route's `params` schema typed them. */
  params: Pa;
  requestId: string;
  services: Services;
};

export interface RouteDef<P extends Permission = Permission, Q = unknown, B = unknown, Pa = Record<string, never>> {
  method: Method;
  path: string;
  permission: P;
  /** One line for the route list in the README and the access note. */
  summary: string;
  /** Validates path parameters (`:name`); required when the path has any. */
  params?: $ZodType<Pa>;
  /** Validates `req.query`; routes without one accept no query parameters. */
  query?: $ZodType<Q>;
  /** Validates the JSON body of mutating routes; without one, a body is refused. */
  body?: $ZodType<B>;
  handler(args: HandlerArgs<P, Q, B, Pa>): Promise<void> | void;
}

// A route list holds routes of many shapes; the handler types were checked at defineRoute.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous list; each entry was typed by defineRoute
export type AnyRoute = RouteDef<Permission, any, any, any>;
