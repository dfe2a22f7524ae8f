import type { Labels } from './ast.ts';
import type { Direction, Entry, StoredStream } from './store.ts';

/** A stream held in memory, entries sorted by time (the testbed stand-in's storage). */
export class ArrayStream implements StoredStream {
  readonly labels: Labels;
  readonly #entries: Entry[] = [];
  constructor(labels: Labels) {
    this.labels = labels;
  }

  /** Adds entries, keeping time order (stable for equal timestamps). */
  add(entries: Iterable<Entry>): void {
    const a = this.#entries;
    for (const e of entries) {
      let i = a.length;
      while (i > 0 && a[i - 1]![0] > e[0]) i--;
      a.splice(i, 0, e);
    }
  }

  /** Index of the first entry with ts >= t. */
  #lowerBound(t: bigint): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#entries[mid]![0] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  *entries(from: bigint, to: bigint, direction: Direction): Iterable<Entry> {
    const lo = this.#lowerBound(from);
    const hi = this.#lowerBound(to);
    if (direction === 'forward') for (let i = lo; i < hi; i++) yield this.#entries[i]!;
    else for (let i = hi - 1; i >= lo; i--) yield this.#entries[i]!;
  }

  count(from: bigint, to: bigint): number {
    return Math.max(0, this.#lowerBound(to) - this.#lowerBound(from));
  }
}
