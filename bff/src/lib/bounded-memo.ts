/**
 * A small map that forgets its least recently used entries past `limit` entries or, when
 * `sizeOf` is given, past `maxBytes` in all: enough to keep one answer per distinct scope
 * (a handful of roles × tenants) without growing without bound — 64 whole-fleet answers
 * of 3 MB each would be 195 MB at 5,000 clusters.
 */
export class BoundedMemo<V> {
  readonly #limit: number;
  readonly #maxBytes: number;
  readonly #sizeOf: ((value: V) => number) | undefined;
  readonly #entries = new Map<string, V>();
  #bytes = 0;

  constructor(limit: number, options: { maxBytes?: number; sizeOf?: (value: V) => number } = {}) {
    this.#limit = limit;
    this.#maxBytes = options.maxBytes ?? Infinity;
    this.#sizeOf = options.sizeOf;
  }

  getOrCompute(key: string, compute: () => V): V {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      // Re-insert to mark as recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const value = compute();
    this.#entries.set(key, value);
    this.#bytes += this.#sizeOf?.(value) ?? 0;
    // Evict oldest first, but never the value just computed (it is being returned).
    while (this.#entries.size > 1 && (this.#entries.size > this.#limit || this.#bytes > this.#maxBytes)) {
      const oldest = this.#entries.keys().next().value!;
      this.#bytes -= this.#sizeOf?.(this.#entries.get(oldest)!) ?? 0;
      this.#entries.delete(oldest);
    }
    return value;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }
}
