import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';

import { KubeConfig } from '@kubernetes/client-node';

import { DEFAULT_ACCESS_POLICY } from './access/policy.ts';
import { createApp, type CreatedApp, type Services } from './app.ts';
import { createAuditLog } from './audit/audit-log.ts';
import { KubeEventRecorder } from './audit/kube-events.ts';
import { OidcSignIn } from './auth/oidc.ts';
import { SessionManager } from './auth/session.ts';
import type { Cluster } from '@fleetdeck/shared';

import type { Config } from './config/schema.ts';
import { EventHub } from './events/event-hub.ts';
import { createLogger, type Logger } from './lib/logger.ts';
import { createMetrics } from './lib/metrics.ts';
import { DemoInventory } from './sources/demo/demo-inventory.ts';
import { kubeFleetInventory } from './sources/kubefleet/kubefleet-source.ts';
import { MergedInventory } from './sources/merged-inventory.ts';
import { rancherFleetInventory } from './sources/rancher/rancher-source.ts';
import { StaticFleetSource } from './sources/static/static-source.ts';
import { clusterPanelQueries } from './sources/health/cluster-panels.ts';
import { DemoHealthSource, PrometheusHealthSource, type HealthSource } from './sources/health/health-source.ts';
import type { InventorySource } from './sources/inventory.ts';
import { PrometheusClient } from './sources/prometheus/prometheus-client.ts';
import { EMPTY_ROLLOUT_INDEX, kubeFleetRolloutIndex } from './sources/rollouts/rollout-index.ts';
import { SpokeWorkloads } from './sources/spokes/spoke-workloads.ts';
import { ImpersonatingClient } from './sources/kube/impersonating-client.ts';

export interface RunningServer {
  url: string;
  server: Server;
  services: Services;
  routes: CreatedApp['routes'];
  /** Stops accepting connections, drains, closes the sources. Idempotent. */
  close(): Promise<void>;
}

/** The hub's kubeconfig (the BFF's own identity), when a source on the hub is configured. */
function hubKubeConfig(config: Config): KubeConfig | undefined {
  if (config.mode === 'demo' || !config.inventory.sources.some((s) => s === 'kubefleet' || s === 'rancher-fleet')) return undefined;
  const kc = new KubeConfig();
  if (config.inventory.hubKubeconfig) kc.loadFromFile(config.inventory.hubKubeconfig);
  else kc.loadFromCluster();
  return kc;
}

function createInventory(config: Config, hub: KubeConfig | undefined, logger: Logger): InventorySource {
  const demo = () =>
    new DemoInventory({ syntheticClusters: config.demo.syntheticClusters, heartbeatMs: config.demo.heartbeatSeconds * 1000 });
  if (config.mode === 'demo') return demo();
  const labels = { tenantLabel: config.inventory.tenantLabel, environmentLabel: config.inventory.environmentLabel };
  const sources = config.inventory.sources.map((kind): InventorySource => {
    switch (kind) {
      case 'demo':
        return demo();
      case 'kubefleet':
        return kubeFleetInventory(hub!, labels, logger.child({ source: kind }));
      case 'rancher-fleet':
        return rancherFleetInventory(hub!, labels, logger.child({ source: kind }));
      case 'static':
        return new StaticFleetSource(config.inventory.staticFile!, labels);
    }
  });
  return sources.length === 1 ? sources[0]! : new MergedInventory(sources);
}

function createHealth(config: Config, clusters: () => readonly Cluster[]): HealthSource {
  if (config.mode === 'demo') return new DemoHealthSource(clusters);
  const { url, thanos, timeoutSeconds } = config.prometheus;
  if (!url) {
    const reason = 'no Prometheus configured (PROMETHEUS_URL)';
    return {
      summary: () => Promise.resolve({ clusters: new Map(), at: new Date(), errors: [{ source: 'prometheus', reason }] }),
      panels: (cluster) =>
        Promise.resolve(
          clusterPanelQueries(cluster).map(({ id, title, unit }) => ({
            id,
            title,
            unit,
            series: [],
            errors: [{ source: 'prometheus', cluster, reason }],
          })),
        ),
    };
  }
  return new PrometheusHealthSource(new PrometheusClient({ url, thanos, timeoutMs: timeoutSeconds * 1000 }));
}

/** Builds the services, starts the sources and listens. Used by main, tests and benchmarks alike. */
export async function startServer(
  config: Config,
  options: { logger?: Logger; inventory?: InventorySource; events?: EventHub } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.log.level);
  let shuttingDown = false;
  const sessionSecret = config.session.secret ?? randomBytes(32).toString('base64url');
  const hub = hubKubeConfig(config);
  if (!config.session.secret)
    logger.warn('no session.secret configured: using a random one, so sessions end when the BFF restarts (demo mode only)');

  const services: Services = {
    config,
    logger,
    metrics: createMetrics(),
    sessions: new SessionManager({
      secret: sessionSecret,
      cookieName: config.session.cookieName,
      maxAgeSeconds: config.session.maxAgeSeconds,
      idleTimeoutSeconds: config.session.idleTimeoutSeconds,
      // Secure cookies whenever people reach us over TLS (the OIDC redirect URL says how).
      secureCookie: config.auth.oidc?.redirectUrl.startsWith('https:') ?? false,
    }),
    ...(config.mode === 'real' && config.auth.oidc && { oidc: new OidcSignIn(config.auth.oidc, sessionSecret) }),
    policy: config.accessPolicy ?? DEFAULT_ACCESS_POLICY,
    audit: createAuditLog(logger, hub ? { events: new KubeEventRecorder(new ImpersonatingClient(hub)) } : {}),
    inventory: options.inventory ?? createInventory(config, hub, logger),
    events: options.events ?? new EventHub(),
    health: createHealth(config, () => services.inventory.snapshot().clusters),
    rollouts:
      hub && config.inventory.sources.includes('kubefleet')
        ? kubeFleetRolloutIndex(hub, logger.child({ source: 'rollouts' }))
        : EMPTY_ROLLOUT_INDEX,
    ...(Object.keys(config.spokes.kubeconfigs).length > 0 && { spokes: new SpokeWorkloads(config.spokes.kubeconfigs) }),
    isShuttingDown: () => shuttingDown,
  };
  await services.inventory.start();
  await services.rollouts.start();
  services.events.start(services.inventory);

  const { app, routes } = createApp(services);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
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
      await services.inventory.stop();
      await services.rollouts.stop();
    })());

  return { url, server, services, routes, close };
}
