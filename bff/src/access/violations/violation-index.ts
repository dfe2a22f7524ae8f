import { ViolationEngine, ViolationSeverity, type Violation, type ViolationSummary } from '@fleetdeck/shared';

import type { ViolationSnapshot } from '../../sources/violations/violation-source.ts';
import { sortRows, type Order, type Sort, type SortedRows } from './violation-page.ts';
import { violationWork } from './violation-work.ts';

/** One heat-map cell; shared by every answer that shows the cluster whole, so never mutated. */
export interface HeatCell {
  readonly policy: string;
  readonly engine: ViolationEngine;
  readonly cluster: string;
  readonly count: number;
}

/**
 * Policy names as small numbers, so a summary adds a cluster's per-policy counts into an
 * array instead of a map keyed by strings. Grows with the distinct policy names the
 * process has seen (a fleet has tens to hundreds), never with rows.
 */
export const policyNames: string[] = [];
const policyIds = new Map<string, number>();
function policyId(policy: string): number {
  let id = policyIds.get(policy);
  if (id === undefined) {
    policyIds.set(policy, (id = policyNames.length));
    policyNames.push(policy);
  }
  return id;
}

type NamespaceRow = ViolationSummary['byNamespace'][number];

export const SEVERITIES = ViolationSeverity.options;
export const ENGINES = ViolationEngine.options;
const SEVERITY_AT = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<ViolationSeverity, number>;
const ENGINE_AT = Object.fromEntries(ENGINES.map((e, i) => [e, i])) as Record<ViolationEngine, number>;

/** Counts over a set of one cluster's rows. */
export interface Counts {
  readonly total: number;
  readonly cells: readonly HeatCell[];
  /** Per policy name, both engines summed (the heat map's rows are policy names): ids into `policyNames`, and their counts. */
  readonly policyIds: readonly number[];
  readonly policyCounts: readonly number[];
  /** Per severity, in `SEVERITIES` order (arrays: a summary adds a thousand of these per request). */
  readonly severity: readonly number[];
  /** Per engine, in `ENGINES` order. */
  readonly engine: readonly number[];
}

/** One namespace's counts in a cluster, and its summary row when Kyverno adds no counts (shared by answers: never mutated). */
export interface NamespaceCounts {
  readonly namespace: string;
  readonly counts: Counts;
  readonly row: Readonly<NamespaceRow>;
}

/**
 * What the views need of one cluster's rows, derived once per change of that cluster:
 * counts over all of them and per namespace (a person sees a cluster whole or some of its
 * namespaces), and the rows sorted per sort key (runs a page merges, no per-request sort).
 */
export interface ClusterIndex {
  readonly cluster: string;
  readonly rows: readonly Violation[];
  readonly all: Counts;
  /** Namespaced rows per namespace, namespaces in name order; cluster-scoped rows are only in `all`. */
  readonly namespaces: ReadonlyMap<string, Counts>;
  /** The same, as a list in name order. */
  readonly namespaceList: readonly NamespaceCounts[];
  sorted(sort: Sort, order: Order): SortedRows;
}

function countsOf(cluster: string, rows: readonly Violation[]): Counts {
  const cells = new Map<
    string,
    Partial<Record<ViolationEngine, { policy: string; engine: ViolationEngine; cluster: string; count: number }>>
  >();
  const policies = new Map<string, number>();
  const severity = SEVERITIES.map(() => 0);
  const engine = ENGINES.map(() => 0);
  for (const v of rows) {
    let byEngine = cells.get(v.policy);
    if (!byEngine) cells.set(v.policy, (byEngine = {}));
    const cell = byEngine[v.engine];
    if (cell) cell.count++;
    else byEngine[v.engine] = { policy: v.policy, engine: v.engine, cluster, count: 1 };
    policies.set(v.policy, (policies.get(v.policy) ?? 0) + 1);
    const si = SEVERITY_AT[v.severity];
    const ei = ENGINE_AT[v.engine];
    severity[si] = severity[si]! + 1;
    engine[ei] = engine[ei]! + 1;
  }
  return {
    total: rows.length,
    cells: [...cells.values()].flatMap((e) => Object.values(e)),
    policyIds: [...policies.keys()].map(policyId),
    policyCounts: [...policies.values()],
    severity,
    engine,
  };
}

/** One constant key per (sort, order): a page asks a thousand clusters for their run, without building a key string each time. */
const RUN_KEYS = Object.fromEntries(
  (['severity', 'cluster', 'policy', 'namespace', 'lastSeen'] as const).map((s) => [s, { asc: `${s}:asc`, desc: `${s}:desc` }]),
) as Record<Sort, Record<Order, string>>;

function buildClusterIndex(cluster: string, rows: readonly Violation[]): ClusterIndex {
  violationWork.indexedRows += rows.length;
  const byNamespace = new Map<string, Violation[]>();
  for (const v of rows) {
    const ns = v.resource.namespace;
    if (ns === undefined) continue;
    let list = byNamespace.get(ns);
    if (!list) byNamespace.set(ns, (list = []));
    list.push(v);
  }
  const namespaceList = [...byNamespace]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([namespace, list]) => ({
      namespace,
      counts: countsOf(cluster, list),
      row: { cluster, namespace, pass: 0, warn: 0, fail: 0, error: 0, skip: 0, violations: list.length },
    }));
  const namespaces = new Map(namespaceList.map((n) => [n.namespace, n.counts]));
  const runs = new Map<string, SortedRows>();
  return {
    cluster,
    rows,
    all: countsOf(cluster, rows),
    namespaces,
    namespaceList,
    sorted(sort, order) {
      const key = RUN_KEYS[sort][order];
      let run = runs.get(key);
      if (!run) {
        violationWork.sortedRows += rows.length;
        runs.set(key, (run = sortRows(rows, sort, order)));
      }
      return run;
    },
  };
}

/** Per cluster array: a cluster whose rows did not change keeps its index across snapshot versions. */
const byRows = new WeakMap<readonly Violation[], ClusterIndex>();
/** Per snapshot (and per flat array, for sources that do not group): built once, shared by everyone. */
const bySnapshot = new WeakMap<object, ReadonlyMap<string, ClusterIndex>>();

function clusterIndex(cluster: string, rows: readonly Violation[]): ClusterIndex {
  let index = byRows.get(rows);
  if (!index || index.cluster !== cluster) byRows.set(rows, (index = buildClusterIndex(cluster, rows)));
  return index;
}

/** The snapshot's rows indexed per cluster (only clusters with rows). */
export function indexOf(snapshot: ViolationSnapshot): ReadonlyMap<string, ClusterIndex> {
  const key: object = snapshot.byCluster ?? snapshot.violations;
  let index = bySnapshot.get(key);
  if (index) return index;
  let groups: ReadonlyMap<string, readonly Violation[]> | undefined = snapshot.byCluster;
  if (!groups) {
    const grouped = new Map<string, Violation[]>();
    for (const v of snapshot.violations) {
      let list = grouped.get(v.cluster);
      if (!list) grouped.set(v.cluster, (list = []));
      list.push(v);
    }
    groups = grouped;
  }
  const built = new Map<string, ClusterIndex>();
  for (const [cluster, rows] of groups) if (rows.length > 0) built.set(cluster, clusterIndex(cluster, rows));
  bySnapshot.set(key, built);
  index = built;
  return index;
}
