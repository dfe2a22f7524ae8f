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

/** A stable key for caches of per-scope answers: equal scopes share a key. */
export function scopeKey(scope: Scope): string {
  return JSON.stringify(scope.grants);
}
