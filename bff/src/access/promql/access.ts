import type { AnyOrList, Cluster, Scope } from '@fleetdeck/shared';

import { namespacePatterns, visibleClusters } from '../scope-checks.ts';
import { namespaceRegex, promString } from '../../sources/health/cluster-panels.ts';
import { literalAlternation, re2Literal } from '../re2.ts';

/** The series labels the enforcer constrains: Thanos' `cluster` external label, and the workload namespace. */
export const CLUSTER_LABEL = 'cluster';
export const NAMESPACE_LABEL = 'namespace';

/** One matcher ANDed into every vector selector: `name=~"regex"`, spliced exactly as `text`. */
export interface EnforcedMatcher {
  readonly name: string;
  /** RE2, printable ASCII. PromQL anchors it (`^(?:…)$`). */
  readonly regex: string;
  /** `name=~<PromQL string literal of regex>`. */
  readonly text: string;
}

/**
 * Clusters on which the person's namespaces are the same: every (cluster, namespace) pair
 * of `clusters × namespaces` is allowed, and one selector can say so.
 */
export interface PromAccessGroup {
  /** Sorted, unique, never empty. */
  readonly clusters: readonly string[];
  /** `"*"`: every namespace, and series with none (node, cluster-wide); else sorted unique globs, never empty. */
  readonly namespaces: '*' | readonly string[];
  /** `cluster=~…` and, unless `namespaces` is `"*"`, `namespace=~…`. */
  readonly matchers: readonly EnforcedMatcher[];
}

/** The allowed (cluster-set, namespace-set) pairs; no groups means nothing at all. */
export interface PromAccess {
  readonly groups: readonly PromAccessGroup[];
}

/**
 * One namespace glob as RE2 (`namespaceRegex`), except that a glob of stars only becomes
 * `.+`: an anchored `.*` also matches series with no `namespace` label (node and
 * cluster-wide figures), which a namespace grant does not cover.
 */
function globRegex(glob: string): string {
  if (glob === '') throw new RangeError('empty glob');
  if (/[^\x20-\x7e]/.test(glob)) throw new RangeError('glob has a character outside printable ASCII');
  return /^\*+$/.test(glob) ? '.+' : namespaceRegex([glob]);
}

function matcher(name: string, regex: string): EnforcedMatcher {
  return { name, regex, text: `${name}=~${promString(regex)}` };
}

/**
 * Builds a PromAccess from (clusters, namespaces) pairs. Pairs with the same namespaces are
 * merged. Left out, failing closed: clusters whose namespace list is empty, empty or
 * unwritable names and globs, and a cluster named in two pairs (two answers for one
 * cluster is a caller bug; the safe reading is none).
 */
export function promAccess(pairs: readonly { clusters: readonly string[]; namespaces: AnyOrList | readonly string[] }[]): PromAccess {
  const counts = new Map<string, number>();
  for (const pair of pairs) for (const c of new Set(pair.clusters)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const byKey = new Map<string, { namespaces: '*' | string[]; nsRegex: string | undefined; clusters: Set<string> }>();
  for (const pair of pairs) {
    let namespaces: '*' | string[] = '*';
    let nsRegex: string | undefined;
    if (pair.namespaces !== '*') {
      const parts = new Map<string, string>();
      for (const glob of new Set(pair.namespaces)) {
        try {
          parts.set(glob, globRegex(glob));
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
    if (!group) byKey.set(key, (group = { namespaces, nsRegex, clusters: new Set() }));
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
  const groups: PromAccessGroup[] = [];
  for (const g of byKey.values()) {
    if (g.clusters.size === 0) continue;
    const clusters = [...g.clusters].sort();
    const matchers = [matcher(CLUSTER_LABEL, literalAlternation(clusters))];
    if (g.nsRegex !== undefined) matchers.push(matcher(NAMESPACE_LABEL, g.nsRegex));
    groups.push({ clusters, namespaces: g.namespaces, matchers });
  }
  // A stable order: whole-cluster groups first, then by first cluster.
  groups.sort((a, b) => (a.namespaces === '*' ? 0 : 1) - (b.namespaces === '*' ? 0 : 1) || (a.clusters[0]! < b.clusters[0]! ? -1 : 1));
  return { groups };
}

/**
 * What the person may see in the metrics store: every cluster they may `view`, with its
 * namespace patterns (`namespacePatterns`), clusters sharing the same patterns grouped.
 * No visible cluster: an access that matches nothing (every query is refused).
 */
export function promAccessFor(scope: Scope, clusters: readonly Pick<Cluster, 'name' | 'tenant' | 'environment'>[]): PromAccess {
  return promAccess(visibleClusters(scope, clusters).map((c) => ({ clusters: [c.name], namespaces: namespacePatterns(scope, c) })));
}

/** A short, human description of the groups, for error messages. */
export function describeGroups(access: PromAccess): string {
  const list = (items: readonly string[], max: number) =>
    items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  return access.groups
    .map((g) => `[${list(g.clusters, 4)}] (${g.namespaces === '*' ? 'all namespaces' : `namespaces ${list(g.namespaces, 4)}`})`)
    .join('; ');
}
