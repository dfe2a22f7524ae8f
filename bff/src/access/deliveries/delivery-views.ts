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

/** The inventory as the views need it: its version changes whenever a cluster's tenant or environment may have. */
export interface ClusterList {
  version: number;
  clusters: readonly InventoryCluster[];
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
  readonly #clusters: () => ClusterList;
  readonly #limit: number;
  readonly #cache = new Map<string, unknown>();
  readonly #scopes = new Map<string, PerScope>();
  #generation = '';
  #inventoryVersion = -1;
  #inventoryShape = '';
  #inventoryGeneration = 0;
  #byName = new Map<string, InventoryCluster>();

  constructor(store: DeliveryStore, clusters: () => ClusterList, options: { maxEntries?: number } = {}) {
    this.#store = store;
    this.#clusters = clusters;
    this.#limit = options.maxEntries ?? 64;
  }

  /** The inventory's version moves on every heartbeat; only names, tenants and environments matter here. */
  #inventoryGen(): number {
    const inv = this.#clusters();
    if (inv.version !== this.#inventoryVersion) {
      this.#inventoryVersion = inv.version;
      const shape = inv.clusters.map((c) => `${c.name}\u0001${c.tenant}\u0001${c.environment}`).join('\u0002');
      if (shape !== this.#inventoryShape) {
        this.#inventoryShape = shape;
        this.#inventoryGeneration++;
        this.#byName = new Map(inv.clusters.map((c) => [c.name, c]));
      }
    }
    return this.#inventoryGeneration;
  }

  #memo<T>(kind: string, scope: Scope, extra: string, compute: () => T): T {
    const generation = `${this.#store.version}:${this.#inventoryGen()}`;
    if (generation !== this.#generation) {
      this.#cache.clear();
      this.#generation = generation;
    }
    const key = `${kind}\u0000${scopeKey(scope)}\u0000${extra}`;
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = compute();
    this.#cache.set(key, value);
    if (this.#cache.size > this.#limit) this.#cache.delete(this.#cache.keys().next().value!);
    return value;
  }

  /** The person's reach: depends on the inventory and their grants only, so it outlives delivery versions. */
  reach(scope: Scope): Reach {
    return this.#perScope(scope).reach;
  }

  #perScope(scope: Scope): PerScope {
    const key = `${this.#inventoryGen()}\u0000${scopeKey(scope)}`;
    let entry = this.#scopes.get(key);
    if (!entry) {
      entry = { reach: reachOf(scope, this.#clusters().clusters), scoped: new WeakMap() };
      this.#scopes.set(key, entry);
      if (this.#scopes.size > this.#limit) this.#scopes.delete(this.#scopes.keys().next().value!);
    }
    return entry;
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
    this.#inventoryGen();
    return this.#byName.get(name);
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
