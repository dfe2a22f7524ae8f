import { compileGlob, type Cluster, type Scope, type Violation } from '@fleetdeck/shared';

import type { NamespaceResultCounts, ViolationSnapshot } from '../../sources/violations/violation-source.ts';
import { namespacePatterns } from '../scope-checks.ts';

type ClusterRef = Pick<Cluster, 'name' | 'tenant' | 'environment'>;

/** How much of one cluster a person sees: all of it, or only namespaces their patterns match. */
export type ClusterReach =
  { cluster: ClusterRef; whole: true } | { cluster: ClusterRef; whole: false; inNamespace: (ns: string) => boolean };

/**
 * One person's slice of the snapshot. Everything not listed here is invisible to them:
 * clusters they may not `view`, clusters the inventory does not know (deny by default),
 * cluster-scoped results and other namespaces where they are namespace-limited.
 */
export interface ScopedViolations extends Omit<ViolationSnapshot, 'version' | 'byCluster' | 'countsOnly'> {
  reach: ReadonlyMap<string, ClusterReach>;
}

/** The person's slice without the rows: what every answer carries beside counts or pages (cheap: no row is touched). */
export type ScopedMeta = Omit<ScopedViolations, 'violations'>;

/** The person's reach per cluster of the inventory; clusters they may not see are absent. */
export function reachOf(scope: Scope, clusters: readonly ClusterRef[]): Map<string, ClusterReach> {
  const reach = new Map<string, ClusterReach>();
  for (const cluster of clusters) {
    const patterns = namespacePatterns(scope, cluster);
    // namespacePatterns is empty exactly when no grant lets them view the cluster.
    if (patterns === '*') reach.set(cluster.name, { cluster, whole: true });
    else if (patterns.length > 0) {
      const matchers = patterns.map(compileGlob);
      reach.set(cluster.name, { cluster, whole: false, inNamespace: (ns) => matchers.some((m) => m(ns)) });
    }
  }
  return reach;
}

/** Whether a result in `namespace` (undefined: cluster-scoped) of `cluster` is visible under `reach`. */
export function sees(reach: ReadonlyMap<string, ClusterReach>, cluster: string, namespace: string | undefined): boolean {
  const r = reach.get(cluster);
  if (!r) return false;
  if (r.whole) return true;
  return namespace !== undefined && r.inNamespace(namespace);
}

const ord = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedReach = new WeakMap<ReadonlyMap<string, ClusterReach>, readonly (readonly [string, ClusterReach])[]>();

/** A reach's clusters in name order (ordinal), computed once per reach: summaries and pages walk clusters in this order. */
export function inNameOrder(reach: ReadonlyMap<string, ClusterReach>): readonly (readonly [string, ClusterReach])[] {
  let list = sortedReach.get(reach);
  if (!list) sortedReach.set(reach, (list = [...reach].sort((a, b) => ord(a[0], b[0]))));
  return list;
}

const seesWhole = (reach: ReadonlyMap<string, ClusterReach>, cluster: string) => reach.get(cluster)?.whole === true;

/**
 * Cuts the snapshot to what one person may see:
 * - violations and Kyverno's namespace counts: visible clusters, and only their namespaces where they are namespace-limited;
 * - coverage and truncations: only clusters they see whole (a constraint's full count spans namespaces they may not see);
 * - isolation rows: only namespaces they may see; feeds and errors: only visible clusters.
 */
export function scopeSnapshot(snapshot: ViolationSnapshot, scope: Scope, clusters: readonly ClusterRef[]): ScopedViolations {
  const meta = scopeMeta(snapshot, reachOf(scope, clusters));
  const violations: Violation[] = snapshot.violations.filter((v) => sees(meta.reach, v.cluster, v.resource.namespace));
  return { ...meta, violations };
}

/** `scopeSnapshot` without the rows, for a reach already computed (the views cache it per scope and inventory). */
export function scopeMeta(snapshot: ViolationSnapshot, reach: ReadonlyMap<string, ClusterReach>): ScopedMeta {
  const visible = (cluster: string) => reach.has(cluster);
  const namespaceCounts: NamespaceResultCounts[] = snapshot.namespaceCounts.filter((n) => sees(reach, n.cluster, n.namespace));
  return {
    reach,
    namespaceCounts,
    truncations: snapshot.truncations.filter((t) => seesWhole(reach, t.cluster)),
    coverage: snapshot.coverage.filter((c) => seesWhole(reach, c.cluster)),
    isolation: snapshot.isolation.filter((i) => sees(reach, i.cluster, i.namespace)),
    feeds: snapshot.feeds.filter((f) => visible(f.cluster)),
    // A source-wide error (no cluster) says nothing about any one cluster; a cluster's names only it.
    errors: snapshot.errors.filter((e) => (e.cluster === undefined ? reach.size > 0 : visible(e.cluster))),
  };
}

/** Whether the person is namespace-limited on any visible cluster (the page says "counts limited to your namespaces"). */
export function namespaceLimited(scoped: ScopedMeta): boolean {
  for (const r of scoped.reach.values()) if (!r.whole) return true;
  return false;
}
