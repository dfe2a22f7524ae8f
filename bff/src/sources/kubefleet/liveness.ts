import type { Cluster, ClusterState } from '@fleetdeck/shared';

/**
 * A cluster's state as a function of time: `state` until `staleAfter` (epoch ms), then
 * Unknown (its agent stopped reporting). Without `staleAfter` the state does not age.
 * The only part of a mapped hub cluster that changes without an event.
 */
export interface Liveness {
  state: ClusterState;
  staleAfter?: number;
}

export function stateAt(liveness: Liveness, nowMs: number): ClusterState {
  return liveness.staleAfter !== undefined && nowMs > liveness.staleAfter ? 'Unknown' : liveness.state;
}

/**
 * What an inventory informer keeps of one hub object once it is mapped: the cluster,
 * and the few raw facts re-judging it later needs. The raw object itself is dropped.
 */
export interface Kept {
  cluster: Cluster;
  liveness: Liveness;
  /** The object's namespace, for namespaced kinds (Rancher Fleet ClusterGroups match within one). */
  namespace?: string;
}

/** The cluster with its state as of `now`: the same object when the state has not changed. */
export function rejudgeLiveness(kept: Kept, now: Date): Cluster {
  const state = stateAt(kept.liveness, now.getTime());
  return state === kept.cluster.state ? kept.cluster : { ...kept.cluster, state };
}

/** One instance of each distinct short string (label keys and values, condition fields), shared by every cluster. */
export class StringPool {
  readonly #strings = new Map<string, string>();
  readonly #max: number;

  constructor(max = 50_000) {
    this.#max = max;
  }

  get size(): number {
    return this.#strings.size;
  }

  intern<S extends string | undefined>(s: S): S {
    if (s === undefined || s.length > 64) return s;
    const found = this.#strings.get(s);
    if (found !== undefined) return found as S;
    // A pool that only grows would leak with high-cardinality values: start over when full.
    if (this.#strings.size >= this.#max) this.#strings.clear();
    this.#strings.set(s, s);
    return s;
  }

  /** The record with interned keys and values (a new object; insertion order kept). */
  internRecord(record: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [this.intern(k), this.intern(v)]));
  }
}
