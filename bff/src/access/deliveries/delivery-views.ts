import type {
  ClusterDeliveries,
  DeliveryDetailResponse,
  DeliveryFilters,
  DeliveryList,
  DeliveryListQuery,
  DeliveryRow,
  PartialError,
  Scope,
} from '@fleetdeck/shared';

import type { SourceDelivery } from '../../sources/gitops/delivery-source.ts';
import { scopeKey } from '../scope-checks.ts';
import { GenerationCache, InventoryShape, type ClusterList } from '../scope-memo.ts';

export type { ClusterList } from '../scope-memo.ts';
import { deliveryMatcher, targetMatcher } from './delivery-filter.ts';
import { pageOf, sortRows, type SortedRows } from './delivery-page.ts';
import { reachOf, type InventoryCluster, type Reach } from './delivery-reach.ts';
import { detailOf, partOf, scopeDelivery, type ScopedDelivery } from './delivery-scope.ts';

/** What the views read of the delivery service. */
export interface DeliveryStore {
  readonly version: number;
  list(): readonly SourceDelivery[];
  get(id: string): SourceDelivery | undefined;
  errors(): PartialError[];
}

const FILTER_KEYS = ['engine', 'tenant', 'cluster', 'env', 'tone', 'q', 'labels'] as const;

/** Only the filters, in a fixed order: list-only parameters (cursor, limit) must not split the cache. */
function filtersOf(q: DeliveryFilters): DeliveryFilters {
  const out: DeliveryFilters = {};
  for (const k of FILTER_KEYS) if (q[k] !== undefined) Object.assign(out, { [k]: q[k] });
  return out;
}

interface PerScope {
  reach: Reach;
  /** Each source record as this person sees it (null: not at all). */
  scoped: WeakMap<SourceDelivery, ScopedDelivery | null>;
}

interface Grouped {
  sorted: SortedRows;
  byTone: Record<string, number>;
}

/**
 * Per-person delivery answers, cached by (deliveries' version, inventory shape, scope key,
 * query): people of one role with the same grants share them, and any change of either
 * drops the cache. Bounded: the oldest entries go.
 */
export class DeliveryViews {
  readonly #store: DeliveryStore;
  readonly #inventory: InventoryShape;
  readonly #cache: GenerationCache;
  readonly #scopes: GenerationCache;
  readonly #names = new GenerationCache(1);

  constructor(store: DeliveryStore, clusters: () => ClusterList, options: { maxEntries?: number } = {}) {
    this.#store = store;
    this.#inventory = new InventoryShape(clusters);
    const limit = options.maxEntries ?? 64;
    this.#cache = new GenerationCache(limit);
    this.#scopes = new GenerationCache(limit);
  }

  #memo<T>(kind: string, scope: Scope, extra: string, compute: () => T): T {
    const generation = `${this.#store.version}:${this.#inventory.generation()}`;
    return this.#cache.get(generation, `${kind}\u0000${scopeKey(scope)}\u0000${extra}`, compute);
  }

  /** The person's reach: depends on the inventory and their grants only, so it outlives delivery versions. */
  reach(scope: Scope): Reach {
    return this.#perScope(scope).reach;
  }

  #perScope(scope: Scope): PerScope {
    return this.#scopes.get(String(this.#inventory.generation()), scopeKey(scope), () => ({
      reach: reachOf(scope, this.#inventory.current().clusters),
      scoped: new WeakMap<SourceDelivery, ScopedDelivery | null>(),
    }));
  }

  /** A source record as the person sees it; records never change (a change is a new object), so each is judged once per person. */
  #scoped(entry: PerScope, d: SourceDelivery): ScopedDelivery | undefined {
    let s = entry.scoped.get(d);
    if (s === undefined) {
      s = scopeDelivery(d, entry.reach) ?? null;
      entry.scoped.set(d, s);
    }
    return s ?? undefined;
  }

  clusterOf(name: string): InventoryCluster | undefined {
    const byName = this.#names.get(String(this.#inventory.generation()), '', () => {
      return new Map(this.#inventory.current().clusters.map((c) => [c.name, c]));
    });
    return byName.get(name);
  }

  /** Every delivery the person sees, in the sources' order. */
  visible(scope: Scope): readonly ScopedDelivery[] {
    return this.#memo('visible', scope, '', () => {
      const entry = this.#perScope(scope);
      const out: ScopedDelivery[] = [];
      for (const d of this.#store.list()) {
        const s = this.#scoped(entry, d);
        if (s) out.push(s);
      }
      return out;
    });
  }

  /** One delivery as the person sees it; undefined both when it is missing and when it is not theirs. */
  one(scope: Scope, id: string): ScopedDelivery | undefined {
    const d = this.#store.get(id);
    return d && this.#scoped(this.#perScope(scope), d);
  }

  /** Source errors the person may read: ones about a cluster only when they see that cluster. */
  errors(scope: Scope): PartialError[] {
    const reach = this.reach(scope);
    return this.#store.errors().filter((e) => e.cluster === undefined || reach.clusters.has(e.cluster));
  }

  /** The rows under every filter but the tone, grouped and sorted, with their count by tone (the chips). */
  #grouped(scope: Scope, f: DeliveryFilters, group: DeliveryListQuery['group'] & {}, sort: DeliveryListQuery['sort'] & {}): Grouped {
    const { tone: _tone, ...where } = f;
    return this.#memo('grouped', scope, JSON.stringify([where, group, sort]), () => {
      const keep = deliveryMatcher(where);
      const on = targetMatcher(where, (n) => this.clusterOf(n));
      const rows: DeliveryRow[] = [];
      for (const s of this.visible(scope)) {
        if (!keep(s)) continue;
        if (group === 'cluster') {
          for (const t of s.targets) if (!on || on(t.cluster)) rows.push({ group: t.cluster, delivery: partOf(s, t) });
          if (s.targets.length === 0 && !on) rows.push({ delivery: s.summary });
          continue;
        }
        if (on && !s.targets.some((t) => on(t.cluster))) continue;
        const key = group === 'tenant' ? s.summary.tenant : group === 'repo' ? s.summary.repo : undefined;
        rows.push({ ...(key !== undefined && { group: key }), delivery: s.summary });
      }
      const byTone: Record<string, number> = {};
      for (const r of rows) byTone[r.delivery.status.tone] = (byTone[r.delivery.status.tone] ?? 0) + 1;
      return { sorted: sortRows(rows, group, sort), byTone };
    });
  }

  #sorted(scope: Scope, query: DeliveryListQuery): Grouped {
    const f = filtersOf(query);
    const group = query.group ?? 'none';
    const sort = query.sort ?? 'status';
    const all = this.#grouped(scope, f, group, sort);
    if (f.tone === undefined) return all;
    return this.#memo('toned', scope, JSON.stringify([f, group, sort]), () => {
      const rows: DeliveryRow[] = [];
      const keys: SortedRows['keys'][number][] = [];
      all.sorted.rows.forEach((r, i) => {
        if (r.delivery.status.tone !== f.tone) return;
        rows.push(r);
        keys.push(all.sorted.keys[i]!);
      });
      return { sorted: { ...all.sorted, rows, keys }, byTone: all.byTone };
    });
  }

  /** One page of GET /api/deliveries. Throws BadLabels, BadCursor. */
  page(scope: Scope, query: DeliveryListQuery): DeliveryList {
    const { sorted, byTone } = this.#sorted(scope, query);
    const page = pageOf(sorted, query.cursor, query.limit);
    return { ...page, total: sorted.rows.length, byTone: { ...byTone }, errors: this.errors(scope) };
  }

  detail(scope: Scope, id: string): DeliveryDetailResponse | undefined {
    const s = this.one(scope, id);
    return s && { delivery: detailOf(s, this.reach(scope)), errors: this.errors(scope) };
  }

  /** Each delivery on a cluster the person sees (the route has checked it is theirs), worst first, with that cluster's part. */
  onCluster(scope: Scope, cluster: string): ClusterDeliveries {
    const items = this.#memo('cluster', scope, cluster, () =>
      this.visible(scope)
        .flatMap((s) => s.targets.filter((t) => t.cluster === cluster).map((target) => ({ delivery: s.summary, target })))
        .sort(
          (a, b) =>
            b.target.status.rank - a.target.status.rank ||
            a.delivery.name.localeCompare(b.delivery.name) ||
            a.delivery.id.localeCompare(b.delivery.id),
        ),
    );
    return { items: [...items], errors: this.errors(scope).filter((e) => e.cluster === undefined || e.cluster === cluster) };
  }
}
