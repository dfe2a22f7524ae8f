import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';

import { KubeConfig } from '@kubernetes/client-node';

import { admitPrincipal } from './access/identity.ts';
import { DEFAULT_ACCESS_POLICY } from './access/policy.ts';
import { createApp, type CreatedApp, type Services } from './app.ts';
import { createAuditLog } from './audit/audit-log.ts';
import { KubeEventRecorder } from './audit/kube-events.ts';
import { OidcSignIn } from './auth/oidc.ts';
import { SessionManager } from './auth/session.ts';

import { isLoopback } from './config/load.ts';
import { rolloutSources, type Config } from './config/schema.ts';
import { EventHub } from './events/event-hub.ts';
import { violationFeed } from './events/violation-events.ts';
import { createInventory, hubKubeConfig } from './sources/create-inventory.ts';
import { createHealth, createPrometheus } from './sources/health/create-health.ts';
import type { InventorySource } from './sources/inventory.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import { currentContext, tenantNamespaceMapper } from './access/rollouts/rollout-context.ts';
import { demoRolloutSource } from './sources/demo/demo-rollouts.ts';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { kubeFleetRolloutSource } from './sources/kubefleet/rollouts/kubefleet-rollout-source.ts';
import { fleetBundleRolloutSource } from './sources/rancher/bundles/fleet-bundle-source.ts';
import { soakReleaseAudit } from './sources/rancher/bundles/gating-annotations.ts';
import type { RolloutSource, SourceRollout } from './sources/rollouts/rollout-source.ts';
import { RolloutService } from './sources/rollouts/rollout-service.ts';
import { LokiClient } from './sources/loki/loki-client.ts';
import { Spokes } from './sources/spokes/spokes.ts';
import { ImpersonatingClient } from './sources/kube/impersonating-client.ts';
import { DemoLogSource } from './sources/demo/logs/demo-log-source.ts';
import { demoViolationSource } from './sources/demo/violations/demo-violation-source.ts';
import type { PrometheusClient } from './sources/prometheus/prometheus-client.ts';
import { withCountsOnly } from './sources/violations/counts-only.ts';
import { createSpokeViolationSource } from './sources/violations/spoke-violation-source.ts';
import type { ViolationSource } from './sources/violations/violation-source.ts';
import { startFailureGuard } from './promotion/failure-guard.ts';
import type { Leadership } from './promotion/contracts.ts';
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
    }),
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
  await services.leadership.start();
  await services.notifier.start();
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
  );

  const { app, routes } = createApp(services, options.extraRoutes);
  const server = createServer(app);
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

/** The dashboard's public URL for links in notifications: configured, else the OIDC callback's origin, else loopback. */
function publicUrlOf(config: Config): string {
  if (config.promotion.notifications.publicUrl) return config.promotion.notifications.publicUrl.replace(/\/+$/, '');
  if (config.auth.oidc) return new URL(config.auth.oidc.redirectUrl).origin;
  return `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${config.server.port}`;
}

function createRolloutSources(
  config: Config,
  deps: {
    hub: KubeConfig | undefined;
    hubClient: ImpersonatingClient | undefined;
    logger: Logger;
    leadership: Leadership;
    onSoakRelease: (rollout: SourceRollout, wave: string) => void;
  },
): RolloutSource[] {
  return rolloutSources(config).map((kind): RolloutSource => {
    const logger = deps.logger.child({ source: `rollouts-${kind}` });
    // Over the brief's fleet only: the synthetic clusters (demo.syntheticClusters) are there to
    // scale-test the fleet view, and a demo run over thousands of them would tick for nothing.
    if (kind === 'demo') return demoRolloutSource({ clusters: demoClusters(new Date()) });
    // parseConfig refuses hub-backed rollout sources without a hub inventory source.
    if (!deps.hub || !deps.hubClient) throw new Error(`rollouts.sources: "${kind}" needs the hub`);
    if (kind === 'kubefleet')
      return kubeFleetRolloutSource(deps.hub, deps.hubClient, {
        logger,
        tenantForNamespace: tenantNamespaceMapper(config.rollouts.tenantNamespace),
      });
    return fleetBundleRolloutSource(deps.hub, deps.hubClient, { logger, leadership: deps.leadership, onSoakRelease: deps.onSoakRelease });
  });
}

/**
 * Violations: the demo's in demo mode; in real mode the BFF's own identity watching every
 * member cluster it has a connection to (spokes.kubeconfigs), and — with Prometheus — counts
 * only for the inventory clusters without one; else none (the page says so).
 */
function createViolationSource(
  config: Config,
  logger: Logger,
  prometheus: PrometheusClient | undefined,
  clusters: () => readonly { name: string }[],
): ViolationSource {
  if (config.mode === 'demo') return demoViolationSource({ clusters: demoClusters(new Date()) });
  const spokes = Object.entries(config.spokes.kubeconfigs).map(([cluster, path]) => {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return { cluster, kc };
  });
  const source = createSpokeViolationSource(spokes, { logger: logger.child({ source: 'violations' }) });
  // Clusters without a connection: counts only, from the metrics they send to Prometheus.
  if (!prometheus) return source;
  return withCountsOnly(source, {
    prometheus,
    clusters,
    connected: new Set(spokes.map((s) => s.cluster)),
    logger: logger.child({ source: 'violations-counts-only' }),
  });
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
