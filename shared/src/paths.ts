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
  rollouts: '/api/rollouts',
  rollout: '/api/rollouts/:id',
  rolloutApprove: '/api/rollouts/:id/waves/:wave/approve',
  rolloutPause: '/api/rollouts/:id/pause',
  rolloutResume: '/api/rollouts/:id/resume',
  rolloutReject: '/api/rollouts/:id/reject',
  rolloutAbort: '/api/rollouts/:id/abort',
  rolloutRollback: '/api/rollouts/:id/rollback',
  rolloutUnpin: '/api/rollouts/:id/unpin',
  rolloutReadiness: '/api/rollouts/:id/waves/:wave/readiness',
  inbox: '/api/inbox',
  violations: '/api/violations',
  violationsSummary: '/api/violations/summary',
  violationsCoverage: '/api/violations/coverage',
  violationsTrends: '/api/violations/trends',
  violationsCsv: '/api/violations/export.csv',
  deliveries: '/api/deliveries',
  delivery: '/api/deliveries/:id',
  deliveryForceUpdate: '/api/deliveries/:id/force-update',
  deliveryPause: '/api/deliveries/:id/pause',
  deliveryResume: '/api/deliveries/:id/resume',
  deliverySync: '/api/deliveries/:id/sync',
  deliveryRefresh: '/api/deliveries/:id/refresh',
  deliveriesSyncPreview: '/api/deliveries/sync-preview',
  deliveriesBulkSync: '/api/deliveries/bulk-sync',
  clusterDeliveries: '/api/clusters/:name/deliveries',
  events: '/api/events',
  audit: '/api/audit',
} as const;

/** Values for a path's `:name`-style parameters. */
export type PathParams = Record<string, string | number>;
/** A query string's values; undefined ones are left out. */
export type QueryValues = Record<string, string | number | boolean | undefined>;

/**
 * Builds a request URL from one of `apiPaths`: substitutes each `:name` parameter
 * (URI-encoded) and appends the query without its undefined values. Throws when the
 * template names a parameter that was not given, so a broken link fails loudly.
 */
export function apiUrl(template: string, params: PathParams = {}, query: QueryValues = {}): string {
  const path = template.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`apiUrl: no value for ":${key}" in ${template}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.append(key, String(value));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** @deprecated use apiUrl */
export function clusterUrl(name: string): string {
  return apiPaths.cluster.replace(':name', encodeURIComponent(name));
}

/** @deprecated use apiUrl */
export function clusterWorkloadsUrl(name: string): string {
  return apiPaths.clusterWorkloads.replace(':name', encodeURIComponent(name));
}

/** @deprecated use apiUrl */
export function clusterViolationsUrl(name: string): string {
  return apiPaths.clusterViolations.replace(':name', encodeURIComponent(name));
}

/** @deprecated use apiUrl */
export function clusterHealthUrl(name: string, range: string): string {
  return `${apiPaths.clusterHealth.replace(':name', encodeURIComponent(name))}?${new URLSearchParams({ range }).toString()}`;
}

/** @deprecated use apiUrl */
export function demoLoginUrl(user: string): string {
  return `${apiPaths.demoLogin}?${new URLSearchParams({ as: user }).toString()}`;
}

/** The header a mutating request carries its CSRF token in (the token comes from GET /api/me). */
export const CSRF_HEADER = 'x-csrf-token';
