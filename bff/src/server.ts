import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';

import { admitPrincipal } from './access/identity.ts';
import { DEFAULT_ACCESS_POLICY } from './access/policy.ts';
import { createApp, type CreatedApp, type Services } from './app.ts';
import { createAuditLog } from './audit/audit-log.ts';
import { KubeEventRecorder } from './audit/kube-events.ts';
import { OidcSignIn } from './auth/oidc.ts';
import { SessionManager } from './auth/session.ts';
import { HubRevocationList } from './auth/hub-revocations.ts';

import { isLoopback } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { EventHub } from './events/event-hub.ts';
import { violationFeed } from './events/violation-events.ts';
import { createInventory, hubKubeConfig } from './sources/create-inventory.ts';
import { createDeliverySources, createRolloutSources, createViolationSource } from './sources/create-sources.ts';
import { DeliveryService } from './sources/gitops/delivery-service.ts';
import type { DeliverySource } from './sources/gitops/delivery-source.ts';
import { publicUrlOf } from './promotion/public-url.ts';
import { createHealth, createPrometheus } from './sources/health/create-health.ts';
import type { InventorySource } from './sources/inventory.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import { currentContext } from './access/rollouts/rollout-context.ts';
import { soakReleaseAudit } from './sources/rancher/bundles/gating-annotations.ts';
import { RolloutService } from './sources/rollouts/rollout-service.ts';
import { LokiClient } from './sources/loki/loki-client.ts';
import { lokiTailUpgrade } from './routes/loki-tail-ws.ts';
import { Spokes } from './sources/spokes/spokes.ts';
import { ImpersonatingClient } from './sources/kube/impersonating-client.ts';
import { DemoLogSource } from './sources/demo/logs/demo-log-source.ts';
import type { ViolationSource } from './sources/violations/violation-source.ts';
import { startFailureGuard } from './promotion/failure-guard.ts';
import { createLeadership } from './promotion/leader-lease.ts';
import { createNotifier } from './promotion/notify/create-notifier.ts';
import { startRolloutNotices } from './promotion/notify/rollout-notices.ts';
import { createReadinessService } from './promotion/readiness/create-readiness.ts';

export interface RunningServer {
  url: string;
  /** Where /metrics is served when METRICS_PORT moved it off the main port. */
  metricsUrl?: string;
  server: Server;
  services: Services;
  routes: CreatedApp['routes'];
  /** Stops accepting connections, drains, closes the sources. Idempotent. */
  close(): Promise<void>;
}

/** Builds the services, starts the sources and listens. Used by main, tests and benchmarks alike. */
export async function startServer(
  config: Config,
  options: {
    logger?: Logger;
    inventory?: InventorySource;
    events?: EventHub;
    extraRoutes?: CreatedApp['routes'];
    /** Replaces the configured violation source (tests and benchmarks at the source seam). */
    violations?: ViolationSource;
    /** Replaces the configured delivery sources (benchmarks at the source seam). */
    deliveries?: DeliverySource[];
  } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.log.level);
  let shuttingDown = false;
  const sessionSecret = config.session.secret ?? randomBytes(32).toString('base64url');
  const hub = hubKubeConfig(config);
  if (config.mode === 'demo' && !isLoopback(config.server.host))
    logger.warn(
      { host: config.server.host },
      'demo mode is served on a non-loopback address (FLEETDECK_DEMO_PUBLIC=true): anyone who reaches it can sign in as a Platform Admin',
    );
  if (!config.session.secret)
    logger.warn('no session.secret configured: using a random one, so sessions end when the BFF restarts (demo mode only)');

  const policy = config.accessPolicy ?? DEFAULT_ACCESS_POLICY;
  const oidc = config.mode === 'real' && config.auth.oidc ? new OidcSignIn(config.auth.oidc, sessionSecret) : undefined;
  const prometheus = createPrometheus(config, logger);
  // Impersonated writes (rollout actions) and the BFF's own audit Events share one client.
  const hubClient = hub && new ImpersonatingClient(hub);
  // Sign-outs shared by every replica through the hub; without a hub (demo) each process keeps its own list.
  const revocations =
    hub &&
    hubClient &&
    new HubRevocationList({
      client: hubClient,
      kubeConfig: hub,
      namespace: config.promotion.lease.namespace,
      logger: logger.child({ component: 'revocations' }),
    });
  const inventory = options.inventory ?? createInventory(config, hub, logger);
  await inventory.start();
  const leadership = createLeadership({ config, logger: logger.child({ component: 'leadership' }), ...(hubClient && { hubClient }) });
  const rollouts = new RolloutService(
    createRolloutSources(config, {
      hub,
      hubClient,
      logger,
      leadership,
      // Gated Fleet waves released by soak time: audited as done by Fleetdeck on behalf of the rule.
      onSoakRelease: (r, wave) => services.audit.record(soakReleaseAudit(r, wave, `soak-${randomUUID()}`), r.object),
      clusters: () => inventory.snapshot().clusters,
    }),
  );
  const deliveries = new DeliveryService(
    options.deliveries ?? createDeliverySources(config, { hub, hubClient, logger, clusters: () => inventory.snapshot().clusters }),
  );
  const violations = options.violations ?? createViolationSource(config, logger, prometheus, () => inventory.snapshot().clusters);
  const readiness = createReadinessService({
    config,
    logger: logger.child({ component: 'readiness' }),
    inventory,
    violations,
    ...(config.mode === 'real' && prometheus && { prometheus }),
  });
  const services: Services = {
    config,
    logger,
    metrics: createMetrics(),
    sessions: new SessionManager({
      secret: sessionSecret,
      cookieName: config.session.cookieName,
      maxAgeSeconds: config.session.maxAgeSeconds,
      idleTimeoutSeconds: config.session.idleTimeoutSeconds,
      groupsRefreshSeconds: config.session.groupsRefreshSeconds ?? config.session.idleTimeoutSeconds,
      // Secure cookies whenever people reach us over TLS (the OIDC redirect URL says how).
      secureCookie: config.auth.oidc?.redirectUrl.startsWith('https:') ?? false,
      // Real mode re-reads the principal from the provider; demo sessions are never renewed.
      ...(oidc && { renew: (refreshToken: string) => oidc.renew(refreshToken, (p) => admitPrincipal(p, policy)) }),
      logger: logger.child({ component: 'sessions' }),
      ...(revocations && { revocations }),
    }),
    ...(oidc && { oidc }),
    policy,
    audit: createAuditLog(logger, hubClient ? { events: new KubeEventRecorder(hubClient) } : {}),
    inventory,
    events: options.events ?? new EventHub(),
    health: createHealth(config, () => services.inventory.snapshot().clusters, prometheus, config.health),
    ...(prometheus && { prometheus }),
    rollouts,
    violations,
    deliveries,
    readiness,
    leadership,
    notifier: createNotifier({
      config,
      logger: logger.child({ component: 'notifier' }),
      inventory,
      leadership,
      publicUrl: publicUrlOf(config),
    }),
    ...(Object.keys(config.spokes.kubeconfigs).length > 0 && { spokes: new Spokes(config.spokes.kubeconfigs) }),
    ...(config.mode === 'real' &&
      config.loki.url && {
        loki: new LokiClient({
          url: config.loki.url,
          timeoutMs: config.loki.timeoutSeconds * 1000,
          maxBodyBytes: config.loki.maxBytes,
          logger: logger.child({ source: 'loki' }),
        }),
      }),
    // Demo mode: the demo fleet's generated logs, in memory; never a real Loki.
    ...(config.mode === 'demo' && {
      loki: new DemoLogSource({
        clusters: () => inventory.snapshot().clusters,
        ...(config.loki.tenantOrgIds && { tenantOrgIds: config.loki.tenantOrgIds }),
      }),
    }),
    isShuttingDown: () => shuttingDown,
  };
  await services.rollouts.start();
  await services.violations.start();
  await services.deliveries.start();
  await services.leadership.start();
  await services.notifier.start();
  // Read before serving: a replica (re)started now refuses what was signed out before.
  await revocations?.start();
  const stopRules = [
    startRolloutNotices({ rollouts, notifier: services.notifier, leadership }),
    startFailureGuard({
      config,
      logger: logger.child({ component: 'failure-guard' }),
      rollouts,
      readiness,
      leadership,
      notifier: services.notifier,
      audit: services.audit,
      ...(hubClient && { hubClient }),
    }),
  ];
  services.events.start(
    services.inventory,
    {
      onChange: (listener) => services.rollouts.onChange(listener),
      context: () => currentContext(services.inventory, config.rollouts.tenantNamespace, services.policy.approvers),
    },
    violationFeed(services.violations),
    services.deliveries,
  );

  const { app, routes } = createApp(services, options.extraRoutes);
  const server = createServer(app);
  const lokiTails = lokiTailUpgrade(services);
  server.on('upgrade', lokiTails);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const metricsServer =
    config.server.metricsPort === undefined ? undefined : await serveMetrics(services, config.server.metricsPort, config.server.host);
  const { port } = server.address() as AddressInfo;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      shuttingDown = true;
      // Event streams never go idle by themselves; end them so the server can drain.
      services.events.stop();
      lokiTails.closeAll();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.server.shutdownGraceSeconds * 1000);
      await drained;
      clearTimeout(grace);
      for (const stop of stopRules) stop();
      await services.notifier.stop();
      await services.leadership.stop();
      await services.inventory.stop();
      await services.rollouts.stop();
      await services.violations.stop();
      await services.deliveries.stop();
      await revocations?.stop();
    })());

  return {
    url,
    ...(metricsServer && {
      metricsUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(metricsServer.address() as AddressInfo).port}/metrics`,
    }),
    server,
    services,
    routes,
    close: async () => {
      metricsServer?.close();
      await close();
    },
  };
}

/** /metrics alone on its own port, so the public port never exposes it. */
async function serveMetrics(services: Services, port: number, host: string): Promise<Server> {
  const metrics = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    services.metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': services.metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    metrics.once('error', reject);
    metrics.listen(port, host, () => resolve());
  });
  return metrics;
}
