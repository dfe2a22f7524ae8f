import { apiPaths } from '@fleetdeck/shared';

import { PUBLIC, defineRoute } from './route.ts';

/** Liveness and readiness, for the kubelet and load balancers. */
export const probeRoutes = [
  defineRoute({
    method: 'get',
    path: apiPaths.healthz,
    permission: PUBLIC,
    summary: 'Liveness: the process is up.',
    handler: ({ res }) => {
      res.json({ status: 'ok' });
    },
  }),
  defineRoute({
    method: 'get',
    path: apiPaths.readyz,
    permission: PUBLIC,
    summary: 'Readiness: inventory synced and not shutting down.',
    handler: ({ res, services }) => {
      const checks = { inventory: services.inventory.isReady(), shuttingDown: services.isShuttingDown() };
      const ready = checks.inventory && !checks.shuttingDown;
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks });
    },
  }),
];

export const metricsRoute = defineRoute({
  method: 'get',
  path: apiPaths.metrics,
  permission: PUBLIC,
  summary: 'Prometheus metrics of the BFF itself (no fleet data).',
  handler: async ({ res, services }) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  },
});
