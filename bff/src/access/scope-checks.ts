import type { AnyOrList, Cluster, Grant, Scope, Verb } from '@fleetdeck/shared';

function includes(list: AnyOrList, value: string): boolean {
  return list === '*' || list.includes(value);
}

function grantCovers(grant: Grant, cluster: Pick<Cluster, 'tenant' | 'environment'>): boolean {
  return includes(grant.tenants, cluster.tenant) && includes(grant.environments, cluster.environment);
}

/** Whether any of the person's grants lets them use `verb` on this cluster. */
export function allows(scope: Scope, verb: Verb, cluster: Pick<Cluster, 'tenant' | 'environment'>): boolean {
  return scope.grants.some((g) => g.verbs.includes(verb) && grantCovers(g, cluster));
}

/** Whether the person holds `verb` anywhere at all (route-level permission). */
export function holdsVerb(scope: Scope, verb: Verb): boolean {
  return scope.grants.some((g) => g.verbs.includes(verb));
}

export function visibleClusters<C extends Pick<Cluster, 'tenant' | 'environment'>>(scope: Scope, clusters: readonly C[]): C[] {
  return clusters.filter((c) => allows(scope, 'view', c));
}

/** The cluster of that name if the person may see it; `undefined` both when it is missing and when it is not theirs. */
export function findVisibleCluster<C extends Pick<Cluster, 'name' | 'tenant' | 'environment'>>(
  scope: Scope,
  clusters: readonly C[],
  name: string,
): C | undefined {
  const cluster = clusters.find((c) => c.name === name);
  return cluster && allows(scope, 'view', cluster) ? cluster : undefined;
}

/**
 * One entry per cluster the person may see, computed by `perCluster`; clusters they may
 * not see are never passed to it, and `undefined` results are left out.
 */
export function visibleByCluster<C extends Pick<Cluster, 'name' | 'tenant' | 'environment'>, R>(
  scope: Scope,
  clusters: readonly C[],
  perCluster: (cluster: C) => R | undefined,
): Record<string, R> {
  const out: Record<string, R> = {};
  for (const c of clusters) {
    if (!allows(scope, 'view', c)) continue;
    const value = perCluster(c);
    if (value !== undefined) out[c.name] = value;
  }
  return out;
}

/** A stable key for caches of per-scope answers: equal scopes share a key. */
export function scopeKey(scope: Scope): string {
  return JSON.stringify(scope.grants);
}

/**
 * The namespace globs the person's `view` grants allow on this cluster: `"*"` when some
 * grant covers the whole cluster, else the union of the grants' patterns (possibly none).
 * Anything that counts or lists inside a cluster asks this first: a namespace-limited
 * person gets namespace-limited numbers, never the cluster-wide figure.
 */
export function namespacePatterns(scope: Scope, cluster: Pick<Cluster, 'tenant' | 'environment'>): AnyOrList {
  const patterns = new Set<string>();
  for (const g of scope.grants) {
    if (!g.verbs.includes('view') || !grantCovers(g, cluster)) continue;
    if (g.namespaces === '*') return '*';
    for (const n of g.namespaces) patterns.add(n);
  }
  return [...patterns];
}
