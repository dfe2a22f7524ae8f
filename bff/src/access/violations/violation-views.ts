import {
  DEFAULT_HEAT_MAP_LIMIT,
  DEFAULT_NAMESPACE_LIMIT,
  type Scope,
  type Violation,
  type ViolationFilters,
  type ViolationListQuery,
  type ViolationSummary,
} from '@fleetdeck/shared';

import type { ViolationSource } from '../../sources/violations/violation-source.ts';
import { scopeKey } from '../scope-checks.ts';
import { GenerationCache, InventoryShape, type ClusterList } from '../scope-memo.ts';

export type { ClusterList } from '../scope-memo.ts';
import { countsOnlySummary, countsOnlyVisible } from './violation-counts-only.ts';
import { clusterMatches, filterMeta, hasRowFilters, violationMatcher } from './violation-filter.ts';
import { cutSummary } from './violation-heat-map.ts';
import { indexOf, type ClusterIndex } from './violation-index.ts';
import { summarizeIndexed, totalIndexed } from './violation-indexed-summary.ts';
import { mergePage, mergeRuns, type Run } from './violation-merge.ts';
import { decodeCursor, DEFAULT_LIMIT, resolveSort, type SortedRows } from './violation-page.ts';
import { inNameOrder, reachOf, scopeMeta, type ClusterReach, type ScopedMeta, type ScopedViolations } from './violation-scope.ts';
import { summarize } from './violation-summary.ts';
import { violationWork } from './violation-work.ts';

const FILTER_KEYS = ['tenant', 'cluster', 'env', 'engine', 'policy', 'severity', 'action', 'namespace', 'kind', 'q'] as const;

/** Only the filters, in a fixed order: list-only parameters (cursor, limit) must not split the cache. */
export function filtersOf(q: ViolationFilters): ViolationFilters {
  const out: ViolationFilters = {};
  for (const k of FILTER_KEYS) if (q[k] !== undefined) Object.assign(out, { [k]: q[k] });
  return out;
}

/**
 * Per-person answers computed from the source's snapshot, cached by (snapshot version,
 * inventory shape, scope key, filters): people of one role with the same grants share
 * them, and a change of either snapshot drops the cache. Bounded: the oldest entries go.
 */
export class ViolationViews {
  readonly #source: ViolationSource;
  readonly #inventory: InventoryShape;
  readonly #cache: GenerationCache;
  readonly #reaches: GenerationCache;

  constructor(source: ViolationSource, clusters: () => ClusterList, options: { maxEntries?: number } = {}) {
    this.#source = source;
    this.#inventory = new InventoryShape(clusters);
    // An entry may hold a 20,000-row order (two arrays of pointers): 100 entries stay within a few tens of MiB.
    const limit = options.maxEntries ?? 100;
    this.#cache = new GenerationCache(limit);
    this.#reaches = new GenerationCache(limit);
  }

  #memo<T>(kind: string, scope: Scope | undefined, extra: string, compute: () => T): T {
    const generation = `${this.#source.snapshot().version}:${this.#inventory.generation()}`;
    return this.#cache.get(generation, `${kind}\u0000${scope ? scopeKey(scope) : ''}\u0000${extra}`, compute);
  }

  /** The person's reach per cluster: depends on the inventory and their grants only, so it outlives snapshot versions. */
  #reach(scope: Scope): ReadonlyMap<string, ClusterReach> {
    return this.#reaches.get(String(this.#inventory.generation()), scopeKey(scope), () =>
      reachOf(scope, this.#inventory.current().clusters),
    );
  }

  #index(): ReadonlyMap<string, ClusterIndex> {
    return indexOf(this.#source.snapshot());
  }

  /** The person's truncations, feeds, errors, coverage, isolation and Kyverno counts under the filters (no row touched). */
  meta(scope: Scope, query: ViolationFilters): ScopedMeta {
    const f = filtersOf(query);
    return this.#memo('meta', scope, JSON.stringify(f), () => {
      const scoped = this.#memo('meta-all', scope, '', () => scopeMeta(this.#source.snapshot(), this.#reach(scope)));
      return Object.keys(f).length === 0 ? scoped : filterMeta(scoped, f);
    });
  }

  /**
   * The person's per-cluster runs under the filters: clusters they see and the filters
   * keep, each with the predicate for its rows (their namespaces, row filters).
   */
  #runs(scope: Scope, f: ViolationFilters, sort: SortedRows['sort'], order: SortedRows['order']): Run[] {
    const reach = this.#reach(scope);
    const index = this.#index();
    const match = hasRowFilters(f) ? violationMatcher(reach, f) : undefined;
    const runs: Run[] = [];
    // In cluster-name order: a page sorted by cluster is then a concatenation without a sort.
    for (const [name, r] of inNameOrder(reach)) {
      const ci = index.get(name);
      if (!ci || !clusterMatches(reach, name, f)) continue;
      // The row filters' matcher checks the namespace filter too; without one it is checked here.
      const ns = match ? undefined : f.namespace;
      let keep: ((v: Violation) => boolean) | undefined = match;
      if (!r.whole) {
        const inNs = r.inNamespace;
        keep = (v) =>
          v.resource.namespace !== undefined &&
          inNs(v.resource.namespace) &&
          (ns === undefined || v.resource.namespace === ns) &&
          (!match || match(v));
      } else if (ns !== undefined) keep = (v) => v.resource.namespace === ns;
      runs.push({ sorted: ci.sorted(sort, order), keep });
    }
    return runs;
  }

  /** How many rows the person may see under the filters: from the counts, or one pass over their clusters' rows. */
  total(scope: Scope, query: ViolationFilters): number {
    const f = filtersOf(query);
    return this.#memo('total', scope, JSON.stringify(f), () => {
      if (!hasRowFilters(f)) return totalIndexed(this.#index(), this.meta(scope, {}), f);
      let n = 0;
      for (const run of this.#runs(scope, f, 'cluster', 'asc')) {
        violationWork.visitedRows += run.sorted.rows.length;
        for (const v of run.sorted.rows) if (!run.keep || run.keep(v)) n++;
      }
      return n;
    });
  }

  /**
   * One page after the cursor: a merge of the person's per-cluster sorted runs (sorted once
   * per change of a cluster), so a page touches about `limit` rows whatever the fleet's size.
   * Throws BadCursor like `pageOf`.
   */
  page(scope: Scope, query: ViolationListQuery): { items: Violation[]; nextCursor?: string; total: number } {
    const f = filtersOf(query);
    const { sort, order } = resolveSort(query.sort, query.order);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order);
    const page = mergePage(
      this.#runs(scope, f, sort, order),
      sort,
      order,
      after && { k: after[2], id: after[3] },
      query.limit ?? DEFAULT_LIMIT,
    );
    return { ...page, total: this.total(scope, f) };
  }

  /** The rows the person may see under the filters, in no particular order (a summary counts them): no merge. */
  #kept(scope: Scope, f: ViolationFilters): Violation[] {
    const out: Violation[] = [];
    for (const { sorted, keep } of this.#runs(scope, f, 'cluster', 'asc')) {
      violationWork.visitedRows += sorted.rows.length;
      for (const v of sorted.rows) if (!keep || keep(v)) out.push(v);
    }
    return out;
  }

  /** Every row the person may see under the filters, in order (CSV, the cluster page), streamed from the merge. */
  *rows(scope: Scope, query: ViolationListQuery): Generator<Violation> {
    const { sort, order } = resolveSort(query.sort, query.order);
    for (const [v] of mergeRuns(this.#runs(scope, filtersOf(query), sort, order), order)) yield v;
  }

  /** Everything the person may see, unfiltered (rows included: tests and the demo trends). */
  scoped(scope: Scope): ScopedViolations {
    return this.#memo('scoped', scope, '', () => ({ ...this.meta(scope, {}), violations: [...this.rows(scope, { sort: 'cluster' })] }));
  }

  filtered(scope: Scope, query: ViolationFilters): ScopedViolations {
    const f = filtersOf(query);
    return this.#memo('filtered', scope, JSON.stringify(f), () => ({
      ...this.meta(scope, f),
      violations: [...this.rows(scope, { ...f, sort: 'cluster' })],
    }));
  }

  /** The person's rows under the filters, in order, with their sort keys (a page via `pageOf`). */
  sorted(scope: Scope, query: ViolationListQuery): SortedRows {
    const { sort, order } = resolveSort(query.sort, query.order);
    const rows: Violation[] = [];
    const keys: (string | number)[] = [];
    for (const [v, k] of mergeRuns(this.#runs(scope, filtersOf(query), sort, order), order)) {
      rows.push(v);
      keys.push(k);
    }
    return { sort, order, rows, keys };
  }

  /**
   * The summary. With `limits`, the heat map holds the busiest that many policies × clusters
   * and says its extent (`heatMap`), and `byNamespace` the busiest namespaces (`namespaces`);
   * without, everything (the shape older clients know). From per-cluster counts when the
   * filters do not look inside rows, else from the rows of the clusters the filters keep.
   */
  summary(scope: Scope, query: ViolationFilters, limits?: { heatMap: number; namespaces: number }): ViolationSummary {
    const f = filtersOf(query);
    return this.#memo('summary', scope, JSON.stringify([f, limits]), () => {
      const cut = limits ?? { heatMap: Number.MAX_SAFE_INTEGER, namespaces: Number.MAX_SAFE_INTEGER };
      const { core, heatMap, namespaces } = hasRowFilters(f)
        ? cutSummary(summarize({ ...this.meta(scope, f), violations: this.#kept(scope, f) }), cut)
        : summarizeIndexed(this.#index(), this.meta(scope, f), f, cut);
      const countsOnly = countsOnlySummary(
        countsOnlyVisible(this.#source.snapshot().countsOnly ?? [], this.#reach(scope), f),
        limits?.heatMap,
      );
      return {
        ...core,
        ...(limits && { heatMap, namespaces }),
        ...(countsOnly && { countsOnly }),
      };
    });
  }

  /** The summary as JSON text (the page's sizes unless asked): people of one role share it. */
  summaryJson(
    scope: Scope,
    query: ViolationFilters,
    heatMapLimit = DEFAULT_HEAT_MAP_LIMIT,
    namespaceLimit = DEFAULT_NAMESPACE_LIMIT,
  ): string {
    return this.#memo('summary-json', scope, JSON.stringify([filtersOf(query), heatMapLimit, namespaceLimit]), () =>
      JSON.stringify(this.summary(scope, query, { heatMap: heatMapLimit, namespaces: namespaceLimit })),
    );
  }

  /** The tenant of a cluster the person may see (CSV), from the inventory. */
  tenantOf(scoped: ScopedMeta, cluster: string): string | undefined {
    return scoped.reach.get(cluster)?.cluster.tenant;
  }
}
