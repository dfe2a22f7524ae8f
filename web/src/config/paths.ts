/**
 * Every route of the SPA, in one module: components build links from these and never
 * concatenate paths themselves.
 */
export const paths = {
  root: '/',
  login: '/login',
  fleet: '/fleet',
  cluster: '/fleet/clusters/$name',
  rollouts: '/rollouts',
  rollout: '/rollouts/$id',
  violations: '/violations',
  deliveries: '/deliveries',
  delivery: '/deliveries/$id',
  health: '/health',
  logs: '/logs',
} as const;
