/**
 * A bounded map whose entries expire after `ttlMs`. Holding a promise coalesces
 * concurrent callers onto one upstream call; a rejected promise is dropped at once so
 * a failure is not remembered.
 */
export class TtlCache<V> {
  readonly #ttlMs: number;
  readonly #limit: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { at: number; value: V }>();

  constructor(ttlMs: number, limit: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#limit = limit;
    this.#now = now;
  }

  getOrCompute(key: string, compute: () => V): V {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.#ttlMs) return hit.value;
    if (hit) this.#entries.delete(key);
    const value = compute();
    this.#entries.set(key, { at: now, value });
    if (value instanceof Promise) value.catch(() => this.#entries.get(key)?.value === value && this.#entries.delete(key));
    if (this.#entries.size > this.#limit) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
