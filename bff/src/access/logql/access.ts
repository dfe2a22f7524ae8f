import type { AnyOrList, Cluster, Scope, Verb } from '@fleetdeck/shared';

import { allows } from '../scope-checks.ts';
import { globToRe2, literalAlternation, logqlString, re2Literal } from '../re2.ts';

/** The stream labels the enforcer constrains (the labels Fleetdeck's log shipping sets). */
export const CLUSTER_LABEL = 'cluster';
export const NAMESPACE_LABEL = 'namespace';

/** One matcher ANDed into every stream selector: `name=~"regex"`. */
export interface EnforcedMatcher {
  readonly name: string;
  /** The RE2 (printable ASCII). */
  readonly regex: string;
  /** The regex as a LogQL string literal, exactly as spliced into the query. */
  readonly literal: string;
  /** `name=~literal`. */
  readonly text: string;
}

/**
 * Clusters on which the person's log namespaces are the same: every (cluster, namespace)
 * pair of `clusters × namespaces` is allowed, and one stream selector can say so.
 */
export interface LogAccessGroup {
  /** Sorted, unique, never empty. */
  readonly clusters: readonly string[];
  /** `"*"`: every namespace, and streams without one; else sorted unique globs, never empty. */
  readonly namespaces: '*' | readonly string[];
  /** `cluster=~…` and, unless `namespaces` is `"*"`, `namespace=~…`. */
  readonly matchers: readonly EnforcedMatcher[];
}

/** The (cluster-set, namespace-set) pairs a person may read logs of; no groups: none at all. */
export interface LogAccess {
  readonly groups: readonly LogAccessGroup[];
}

function matcher(name: string, regex: string): EnforcedMatcher {
  const literal = logqlString(regex);
  return { name, regex, literal, text: `${name}=~${literal}` };
}

/** RE2 matching exactly these names (never empty): a prefix tree, shared with PromQL (re2.ts). */
export const alternation = (names: readonly string[]): string => literalAlternation(names);

/**
 * Builds a LogAccess from (clusters, namespaces) pairs. Clusters whose namespace list is
 * empty, and names or globs that cannot be written as a regex, are left out (fail closed).
 * Pairs with the same namespaces are merged; a cluster named in two pairs is left out
 * altogether (two answers for one cluster is a caller bug, and the safe reading is none).
 */
export function logAccess(pairs: readonly { clusters: readonly string[]; namespaces: AnyOrList | readonly string[] }[]): LogAccess {
  const byKey = new Map<string, { namespaces: '*' | string[]; nsRegex?: string; clusters: Set<string> }>();
  const counts = new Map<string, number>();
  for (const pair of pairs) for (const c of new Set(pair.clusters)) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const pair of pairs) {
    let namespaces: '*' | string[];
    let nsRegex: string | undefined;
    if (pair.namespaces === '*') namespaces = '*';
    else {
      const parts = new Map<string, string>();
      for (const glob of new Set(pair.namespaces)) {
        try {
          parts.set(glob, globToRe2(glob));
        } catch {
          // an empty or unwritable glob grants nothing
        }
      }
      namespaces = [...parts.keys()].sort();
      if (namespaces.length === 0) continue;
      nsRegex = namespaces.map((g) => parts.get(g)!).join('|');
    }
    const key = namespaces === '*' ? '*' : JSON.stringify(namespaces);
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { namespaces, ...(nsRegex !== undefined && { nsRegex }), clusters: new Set<string>() }));
    for (const name of pair.clusters) {
      if (name === '' || counts.get(name) !== 1) continue;
      try {
        re2Literal(name);
        group.clusters.add(name);
      } catch {
        // a name no regex can state is not granted
      }
    }
  }
  const groups: LogAccessGroup[] = [];
  for (const g of byKey.values()) {
    if (g.clusters.size === 0) continue;
    const clusters = [...g.clusters].sort();
    const matchers = [matcher(CLUSTER_LABEL, alternation(clusters))];
    if (g.nsRegex !== undefined) matchers.push(matcher(NAMESPACE_LABEL, g.nsRegex));
    groups.push({ clusters, namespaces: g.namespaces, matchers });
  }
  // A stable order: everywhere-groups first, then by first cluster.
  groups.sort((a, b) => (a.namespaces === '*' ? 0 : 1) - (b.namespaces === '*' ? 0 : 1) || a.clusters[0]!.localeCompare(b.clusters[0]!));
  return { groups };
}

/** `namespacePatterns` (scope-checks.ts) for any verb: `"*"`, or the union of the covering grants' globs. */
export function namespacePatternsFor(scope: Scope, cluster: Pick<Cluster, 'tenant' | 'environment'>, verb: Verb): AnyOrList {
  const patterns = new Set<string>();
  for (const g of scope.grants) {
    if (!g.verbs.includes(verb)) continue;
    if (g.tenants !== '*' && !g.tenants.includes(cluster.tenant)) continue;
    if (g.environments !== '*' && !g.environments.includes(cluster.environment)) continue;
    if (g.namespaces === '*') return '*';
    for (const n of g.namespaces) patterns.add(n);
  }
  return [...patterns];
}

/** The person's log access over these clusters: those they hold `viewLogs` on, grouped by namespace globs. */
export function logAccessFor(scope: Scope, clusters: readonly Pick<Cluster, 'name' | 'tenant' | 'environment'>[]): LogAccess {
  return logAccess(
    clusters
      .filter((c) => allows(scope, 'viewLogs', c))
      .map((c) => ({ clusters: [c.name], namespaces: namespacePatternsFor(scope, c, 'viewLogs') })),
  );
}

/**
 * The access limited to the named clusters (a cluster picker, or the route running one
 * query per group): names outside the access are ignored, never added.
 */
export function restrictLogAccess(access: LogAccess, clusterNames: Iterable<string>): LogAccess {
  const wanted = new Set(clusterNames);
  return logAccess(
    access.groups
      .map((g) => ({ clusters: g.clusters.filter((c) => wanted.has(c)), namespaces: g.namespaces }))
      .filter((g) => g.clusters.length > 0),
  );
}

/** One LogAccess per group, for running a query once per group and merging the answers. */
export function splitLogAccess(access: LogAccess): LogAccess[] {
  return access.groups.map((g) => ({ groups: [g] }));
}

/** A short, human description of the groups, for error messages. */
export function describeGroups(access: LogAccess): string {
  const list = (items: readonly string[], max: number) =>
    items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  return access.groups
    .map((g) => `[${list(g.clusters, 4)}] (${g.namespaces === '*' ? 'all namespaces' : `namespaces ${list(g.namespaces, 4)}`})`)
    .join('; ');
}
