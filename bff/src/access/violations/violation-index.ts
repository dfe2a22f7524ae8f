import type { Violation, ViolationEngine, ViolationSeverity } from '@fleetdeck/shared';

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

/** Counts over a set of one cluster's rows. */
export interface Counts {
  readonly total: number;
  readonly cells: readonly HeatCell[];
  readonly severity: ReadonlyMap<ViolationSeverity, number>;
  readonly engine: ReadonlyMap<ViolationEngine, number>;
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
  sorted(sort: Sort, order: Order): SortedRows;
}

function countsOf(cluster: string, rows: readonly Violation[]): Counts {
  const cells = new Map<
    string,
    Partial<Record<ViolationEngine, { policy: string; engine: ViolationEngine; cluster: string; count: number }>>
  >();
  const severity = new Map<ViolationSeverity, number>();
  const engine = new Map<ViolationEngine, number>();
  for (const v of rows) {
    let byEngine = cells.get(v.policy);
    if (!byEngine) cells.set(v.policy, (byEngine = {}));
    const cell = byEngine[v.engine];
    if (cell) cell.count++;
    else byEngine[v.engine] = { policy: v.policy, engine: v.engine, cluster, count: 1 };
    severity.set(v.severity, (severity.get(v.severity) ?? 0) + 1);
    engine.set(v.engine, (engine.get(v.engine) ?? 0) + 1);
  }
  return { total: rows.length, cells: [...cells.values()].flatMap((e) => Object.values(e)), severity, engine };
}

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
  const namespaces = new Map(
    [...byNamespace].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([ns, list]) => [ns, countsOf(cluster, list)] as const),
  );
  const runs = new Map<string, SortedRows>();
  return {
    cluster,
    rows,
    all: countsOf(cluster, rows),
    namespaces,
    sorted(sort, order) {
      const key = `${sort}:${order}`;
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
