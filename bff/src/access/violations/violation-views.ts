import type { Cluster, Scope, Violation, ViolationFilters, ViolationListQuery, ViolationSummary } from '@fleetdeck/shared';

import type { ViolationSource } from '../../sources/violations/violation-source.ts';
import { scopeKey } from '../scope-checks.ts';
import { filterScoped, violationMatcher } from './violation-filter.ts';
import { sortRows, type SortedRows } from './violation-page.ts';
import { scopeSnapshot, sees, type ScopedViolations } from './violation-scope.ts';
import { summarize } from './violation-summary.ts';

/** The inventory as the views need it: its version changes whenever a cluster's tenant or environment may have. */
export interface ClusterList {
  version: number;
  clusters: readonly Pick<Cluster, 'name' | 'tenant' | 'environment'>[];
}

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
  readonly #clusters: () => ClusterList;
  readonly #limit: number;
  readonly #cache = new Map<string, unknown>();
  #generation = '';
  #inventoryVersion = -1;
  #inventoryShape = '';
  #inventoryGeneration = 0;

  constructor(source: ViolationSource, clusters: () => ClusterList, options: { maxEntries?: number } = {}) {
    this.#source = source;
    this.#clusters = clusters;
    // An entry may hold a 20,000-row order (two arrays of pointers): 100 entries stay within a few tens of MiB.
    this.#limit = options.maxEntries ?? 100;
  }

  /**
   * The inventory's version moves on every heartbeat; only names, tenants and environments
   * matter here, so the cache survives versions that did not change those.
   */
  #inventoryGen(): number {
    const inv = this.#clusters();
    if (inv.version !== this.#inventoryVersion) {
      this.#inventoryVersion = inv.version;
      const shape = inv.clusters.map((c) => `${c.name}\u0001${c.tenant}\u0001${c.environment}`).join('\u0002');
      if (shape !== this.#inventoryShape) {
        this.#inventoryShape = shape;
        this.#inventoryGeneration++;
      }
    }
    return this.#inventoryGeneration;
  }

  #memo<T>(kind: string, scope: Scope | undefined, extra: string, compute: () => T): T {
    const generation = `${this.#source.snapshot().version}:${this.#inventoryGen()}`;
    if (generation !== this.#generation) {
      this.#cache.clear();
      this.#generation = generation;
    }
    const key = `${kind}\u0000${scope ? scopeKey(scope) : ''}\u0000${extra}`;
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = compute();
    this.#cache.set(key, value);
    if (this.#cache.size > this.#limit) this.#cache.delete(this.#cache.keys().next().value!);
    return value;
  }

  /** Everything the person may see, unfiltered. */
  scoped(scope: Scope): ScopedViolations {
    return this.#memo('scoped', scope, '', () => scopeSnapshot(this.#source.snapshot(), scope, this.#clusters().clusters));
  }

  filtered(scope: Scope, query: ViolationFilters): ScopedViolations {
    const f = filtersOf(query);
    return this.#memo('filtered', scope, JSON.stringify(f), () => filterScoped(this.scoped(scope), f));
  }

  /**
   * The person's rows under the filters, in order. The whole snapshot is sorted once per
   * version and order (for everyone); a person's rows are a stable filter of it, so no
   * request sorts.
   */
  sorted(scope: Scope, query: ViolationListQuery): SortedRows {
    const f = filtersOf(query);
    return this.#memo('sorted', scope, JSON.stringify([f, query.sort, query.order]), () => {
      const all = this.#memo('everyone-sorted', undefined, JSON.stringify([query.sort, query.order]), () =>
        sortRows(this.#source.snapshot().violations, query.sort, query.order),
      );
      const { reach } = this.scoped(scope);
      const match = violationMatcher(reach, f);
      const rows: Violation[] = [];
      const keys: (string | number)[] = [];
      for (let i = 0; i < all.rows.length; i++) {
        const v = all.rows[i]!;
        if (sees(reach, v.cluster, v.resource.namespace) && match(v)) {
          rows.push(v);
          keys.push(all.keys[i]!);
        }
      }
      return { sort: all.sort, order: all.order, rows, keys };
    });
  }

  summary(scope: Scope, query: ViolationFilters): ViolationSummary {
    const f = filtersOf(query);
    return this.#memo('summary', scope, JSON.stringify(f), () => summarize(this.filtered(scope, f)));
  }

  /** The summary as JSON text: a heat map of a large fleet is big, and people of one role share it. */
  summaryJson(scope: Scope, query: ViolationFilters): string {
    return this.#memo('summary-json', scope, JSON.stringify(filtersOf(query)), () => JSON.stringify(this.summary(scope, query)));
  }

  /** The tenant of a cluster the person may see (CSV), from the inventory. */
  tenantOf(scoped: ScopedViolations, cluster: string): string | undefined {
    return scoped.reach.get(cluster)?.cluster.tenant;
  }
}
