import type { Config } from '../config/schema.ts';
import { auditRoute } from './audit.ts';
import { authRoutes } from './auth.ts';
import { clusterHealthRoute, clusterRoute, clusterViolationsRoute, clusterWorkloadsRoute, eventsRoute } from './clusters.ts';
import { fleetHealthRoute } from './fleet-health.ts';
import { fleetRolloutsRoute } from './fleet-rollouts.ts';
import { fleetRoute } from './fleet.ts';
import { healthRoutes } from './health.ts';
import type { AnyRoute } from './route.ts';

/** Every API route of the BFF. Tests enumerate this list; nothing is registered outside it. */
export function allRoutes(config: Config): AnyRoute[] {
  return [
    ...healthRoutes,
    ...authRoutes(config.mode),
    fleetRoute(),
    fleetHealthRoute,
    fleetRolloutsRoute,
    clusterRoute,
    clusterWorkloadsRoute,
    clusterViolationsRoute,
    clusterHealthRoute,
    eventsRoute,
    auditRoute,
  ];
}
