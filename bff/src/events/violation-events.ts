import { compileGlob, type Cluster, type Scope, type ViolationEvent } from '@fleetdeck/shared';

import { allows, namespacePatterns } from '../access/scope-checks.ts';
import type { InventorySource } from '../sources/inventory.ts';
import type { ViolationSnapshot, ViolationSource } from '../sources/violations/violation-source.ts';

/**
 * What changed on one cluster, by who may notice it: `everyone` (its feed or errors, which
 * everyone who sees the cluster sees), `wholeOnly` (cluster-scoped results, coverage,
 * truncations), and the namespaces whose results, counts or isolation changed.
 */
export interface ClusterViolationChange {
  cluster: string;
  everyone: boolean;
  wholeOnly: boolean;
  namespaces: string[];
}

/** The violation change feed the hub fans out. */
export interface ViolationFeed {
  onChange(listener: (changes: readonly ClusterViolationChange[]) => void): () => void;
}

type Parts = { everyone: Set<string>; whole: Set<string>; byNamespace: Map<string, Set<string>> };

/** Fingerprints of the wanted clusters' snapshot parts, grouped by who may see them; one pass over the snapshot. */
function partsOf(snap: ViolationSnapshot, wanted: ReadonlySet<string>): Map<string, Parts> {
  const out = new Map<string, Parts>();
  const parts = (cluster: string | undefined): Parts | undefined => {
    if (cluster === undefined || !wanted.has(cluster)) return undefined;
    let p = out.get(cluster);
    if (!p) out.set(cluster, (p = { everyone: new Set(), whole: new Set(), byNamespace: new Map() }));
    return p;
  };
  const inNs = (p: Parts, ns: string, text: string) => {
    const set = p.byNamespace.get(ns) ?? new Set<string>();
    p.byNamespace.set(ns, set.add(text));
  };
  for (const v of snap.violations) {
    const p = parts(v.cluster);
    if (!p) continue;
    if (v.resource.namespace === undefined) p.whole.add(JSON.stringify(v));
    else inNs(p, v.resource.namespace, JSON.stringify(v));
  }
  for (const x of [...snap.namespaceCounts, ...snap.isolation]) {
    const p = parts(x.cluster);
    if (p) inNs(p, x.namespace, JSON.stringify(x));
  }
  for (const x of [...snap.coverage, ...snap.truncations]) parts(x.cluster)?.whole.add(JSON.stringify(x));
  for (const x of [...snap.feeds, ...snap.errors]) parts(x.cluster)?.everyone.add(JSON.stringify(x));
  return out;
}

const EMPTY: Parts = { everyone: new Set(), whole: new Set(), byNamespace: new Map() };
const same = (a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined) =>
  (a?.size ?? 0) === (b?.size ?? 0) && [...(a ?? [])].every((x) => b?.has(x));

/** What changed per cluster between two snapshots; clusters where nothing did are left out. */
export function diffClusters(before: ViolationSnapshot, after: ViolationSnapshot, clusters: readonly string[]): ClusterViolationChange[] {
  const wanted = new Set(clusters);
  const beforeParts = partsOf(before, wanted);
  const afterParts = partsOf(after, wanted);
  const out: ClusterViolationChange[] = [];
  for (const cluster of [...wanted].sort()) {
    const a = beforeParts.get(cluster) ?? EMPTY;
    const b = afterParts.get(cluster) ?? EMPTY;
    const namespaces = [...new Set([...a.byNamespace.keys(), ...b.byNamespace.keys()])]
      .filter((ns) => !same(a.byNamespace.get(ns), b.byNamespace.get(ns)))
      .sort();
    const change = { cluster, everyone: !same(a.everyone, b.everyone), wholeOnly: !same(a.whole, b.whole), namespaces };
    if (change.everyone || change.wholeOnly || namespaces.length > 0) out.push(change);
  }
  return out;
}

/**
 * The source's change feed, made precise: each change is diffed against the previous
 * snapshot, so a namespace-limited person hears only of changes they could see on refetch
 * (a change in someone else's namespace does not even tell them *when* it happened).
 */
export function violationFeed(source: ViolationSource): ViolationFeed {
  return {
    onChange(listener) {
      let previous = source.snapshot();
      return source.onChange((clusters) => {
        const next = source.snapshot();
        const changes = diffClusters(previous, next, clusters);
        previous = next;
        if (changes.length > 0) listener(changes);
      });
    },
  };
}

/** The inventory's clusters by name, rebuilt only when its version changes. */
export class ClusterIndex {
  readonly #inventory: InventorySource;
  #version = -1;
  #byName = new Map<string, Cluster>();

  constructor(inventory: InventorySource) {
    this.#inventory = inventory;
  }

  get(name: string): Cluster | undefined {
    const snap = this.#inventory.snapshot();
    if (snap.version !== this.#version) {
      this.#byName = new Map(snap.clusters.map((c) => [c.name, c]));
      this.#version = snap.version;
    }
    return this.#byName.get(name);
  }
}

/**
 * One person's view of a violation change: only clusters they may see (a cluster the
 * inventory does not know is nobody's), and of those only where the change touches what
 * they see — anything for whole-cluster people, their namespaces (or the feed) for
 * namespace-limited ones. Nothing at all when none is theirs.
 */
export function violationEventFor(
  scope: Scope,
  changes: readonly ClusterViolationChange[],
  clusterOf: (name: string) => Cluster | undefined,
): ViolationEvent | undefined {
  const clusters = new Set<string>();
  for (const ch of changes) {
    const c = clusterOf(ch.cluster);
    if (!c || !allows(scope, 'view', c)) continue;
    const patterns = namespacePatterns(scope, c);
    if (patterns === '*' || ch.everyone) clusters.add(ch.cluster);
    else {
      const matchers = patterns.map(compileGlob);
      if (ch.namespaces.some((ns) => matchers.some((m) => m(ns)))) clusters.add(ch.cluster);
    }
  }
  return clusters.size > 0 ? { clusters: [...clusters].sort() } : undefined;
}
