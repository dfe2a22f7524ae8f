/**
 * Bounded memory for the notifier: a set of keys seen (oldest forgotten first) and a ring of
 * the newest entries. Both keep insertion order in a Map/array and evict from the front.
 */

export class BoundedKeySet {
  readonly #keys = new Set<string>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /** Adds the key; false when it was already there (then nothing changes). */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.#max) this.#keys.delete(this.#keys.values().next().value!);
    return true;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  get size(): number {
    return this.#keys.size;
  }
}

export class Ring<T> {
  readonly #items: T[] = [];
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length > this.#max) this.#items.splice(0, this.#items.length - this.#max);
  }

  /** Newest first. */
  newestFirst(): T[] {
    return [...this.#items].reverse();
  }
}
