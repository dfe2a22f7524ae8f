/**
 * Every BFF path, in one place: the BFF registers exactly these and the web builds
 * its requests from them, so neither side ever concatenates a path by hand.
 */
export const apiPaths = {
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
  authConfig: '/api/auth/config',
  demoLogin: '/api/auth/demo/login',
  login: '/api/auth/login',
  callback: '/api/auth/callback',
  logout: '/api/auth/logout',
  me: '/api/me',
  fleet: '/api/fleet',
  fleetHealth: '/api/fleet/health',
  fleetRollouts: '/api/fleet/rollouts',
  cluster: '/api/clusters/:name',
  clusterWorkloads: '/api/clusters/:name/workloads',
  clusterViolations: '/api/clusters/:name/violations',
  clusterHealth: '/api/clusters/:name/health',
  events: '/api/events',
  audit: '/api/audit',
} as const;

export function clusterUrl(name: string): string {
  return apiPaths.cluster.replace(':name', encodeURIComponent(name));
}

export function clusterWorkloadsUrl(name: string): string {
  return apiPaths.clusterWorkloads.replace(':name', encodeURIComponent(name));
}

export function clusterViolationsUrl(name: string): string {
  return apiPaths.clusterViolations.replace(':name', encodeURIComponent(name));
}

export function clusterHealthUrl(name: string, range: string): string {
  return `${apiPaths.clusterHealth.replace(':name', encodeURIComponent(name))}?${new URLSearchParams({ range }).toString()}`;
}

export function demoLoginUrl(user: string): string {
  return `${apiPaths.demoLogin}?${new URLSearchParams({ as: user }).toString()}`;
}

/** The header a mutating request carries its CSRF token in (the token comes from GET /api/me). */
export const CSRF_HEADER = 'x-csrf-token';
