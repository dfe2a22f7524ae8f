import type { Config } from '../config/schema.ts';
import { auditRoute } from './audit.ts';
import { authRoutes } from './auth.ts';
import { clusterRoute, clusterWorkloadsRoute } from './clusters.ts';
import { deliveryRoutes } from './deliveries.ts';
import { eventsRoute } from './events.ts';
import { inboxRoute } from './inbox.ts';
import { fleetRoute } from './fleet.ts';
import { clusterHealthRoute, fleetHealthPanelsRoute, fleetHealthRoute } from './health.ts';
import { logsRoutes } from './logs.ts';
import { lokiRoutes } from './loki.ts';
import { metricsRoute, probeRoutes } from './probes.ts';
import { promRoutes } from './prom.ts';
import { rolloutReadinessRoute } from './readiness.ts';
import { rolloutRoutes } from './rollouts.ts';
import { violationRoutes } from './violations.ts';
import type { AnyRoute } from './route.ts';

/** Every API route of the BFF. Tests enumerate this list; nothing is registered outside it. */
export function allRoutes(config: Config): AnyRoute[] {
  return [
    ...probeRoutes,
    // With METRICS_PORT the metrics are served on that port only (see server.ts).
    ...(config.server.metricsPort === undefined ? [metricsRoute] : []),
    ...authRoutes(config.mode),
    fleetRoute(),
    fleetHealthRoute,
    fleetHealthPanelsRoute,
    ...rolloutRoutes,
    rolloutReadinessRoute,
    inboxRoute,
    ...violationRoutes,
    ...deliveryRoutes,
    clusterRoute,
    clusterWorkloadsRoute,
    clusterHealthRoute,
    eventsRoute,
    auditRoute,
    ...lokiRoutes,
    ...logsRoutes,
    ...promRoutes,
  ];
}
