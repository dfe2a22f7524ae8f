/**
 * A small map that forgets its least recently used entries past `limit` entries or, when
 * `sizeOf` is given, past `maxBytes` in all: enough to keep one answer per distinct scope
 * (a handful of roles × tenants) without growing without bound — 64 whole-fleet answers
 * of 3 MB each would be 195 MB at 5,000 clusters. `sizeOf` may count the key too (the
 * enforcement memos' keys are the access' whole matcher text); an entry over
 * `maxEntryBytes` is computed and returned but not kept, so one never crowds out the rest.
 */
export class BoundedMemo<V> {
  readonly #limit: number;
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;
  readonly #sizeOf: ((value: V, key: string) => number) | undefined;
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(limit: number, options: { maxBytes?: number; maxEntryBytes?: number; sizeOf?: (value: V, key: string) => number } = {}) {
    this.#limit = limit;
    this.#maxBytes = options.maxBytes ?? Infinity;
    this.#maxEntryBytes = options.maxEntryBytes ?? Infinity;
    this.#sizeOf = options.sizeOf;
  }

  getOrCompute(key: string, compute: () => V): V {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.hits++;
      // Re-insert to mark as recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    this.misses++;
    const value = compute();
    const bytes = this.#sizeOf?.(value, key) ?? 0;
    if (bytes > this.#maxEntryBytes) return value;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    // Evict oldest first, but never the value just computed (it is being returned).
    while (this.#entries.size > 1 && (this.#entries.size > this.#limit || this.#bytes > this.#maxBytes)) {
      const [oldest, entry] = this.#entries.entries().next().value!;
      this.#bytes -= entry.bytes;
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
