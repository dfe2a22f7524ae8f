import type { Cluster } from '@fleetdeck/shared';

/** The inventory as per-person views need it: its version changes whenever a cluster's tenant or environment may have. */
export interface ClusterList {
  version: number;
  clusters: readonly Pick<Cluster, 'name' | 'tenant' | 'environment'>[];
}

/**
 * What a person may see depends on the clusters' names, tenants and environments only. The
 * inventory's version moves on every heartbeat and label change; this generation moves only
 * when that shape changes, so per-person answers survive the versions that change nothing
 * for access. Comparing the shape costs one pass when the version moved, none otherwise.
 */
export class InventoryShape<C extends ClusterList = ClusterList> {
  readonly #read: () => C;
  #version = -1;
  #shape = '';
  #generation = 0;

  constructor(read: () => C) {
    this.#read = read;
  }

  /** The inventory as last read (for the clusters themselves). */
  current(): C {
    return this.#read();
  }

  generation(): number {
    const inv = this.#read();
    if (inv.version !== this.#version) {
      this.#version = inv.version;
      const shape = inv.clusters.map((c) => `${c.name}\u0001${c.tenant}\u0001${c.environment}`).join('\u0002');
      if (shape !== this.#shape) {
        this.#shape = shape;
        this.#generation++;
      }
    }
    return this.#generation;
  }
}

/**
 * Answers by key for one generation (of whatever they were computed from), dropped whole
 * when the generation changes. Bounded: past `limit` entries the oldest goes.
 */
export class GenerationCache {
  readonly #limit: number;
  readonly #entries = new Map<string, unknown>();
  #generation: string | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get<T>(generation: string, key: string, compute: () => T): T {
    if (generation !== this.#generation) {
      this.#entries.clear();
      this.#generation = generation;
    }
    if (this.#entries.has(key)) return this.#entries.get(key) as T;
    const value = compute();
    this.#entries.set(key, value);
    if (this.#entries.size > this.#limit) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
