/**
 * Which element ("slot") shows which row of a virtual list. A row keeps its slot while it
 * stays in view; a row coming into view takes the slot of one that left. Used as React
 * keys, this makes scrolling update a few text nodes in elements that already exist
 * instead of building one row's elements and tearing down another's per line, which was
 * most of a scroll frame's work at 100,000 lines. (Keys derived from the index alone cannot
 * do this: the number of rows in view changes at the ends of the list and with overscan.)
 *
 * Assigning the same rows twice gives the same slots (React may render twice).
 */
export class RowSlots {
  #slotOf = new Map<number, number>();
  /** Slots of rows that left, lowest last, for the next rows that come in. */
  #free: number[] = [];
  #next = 0;

  /** Slots for `indices` (the rows to render, each once), in the same order. */
  assign(indices: readonly number[]): number[] {
    const now = new Map<number, number>();
    for (const i of indices) {
      const s = this.#slotOf.get(i);
      if (s !== undefined) now.set(i, s);
    }
    for (const [i, s] of this.#slotOf) if (!now.has(i)) this.#free.push(s);
    for (const i of indices) if (!now.has(i)) now.set(i, this.#free.pop() ?? this.#next++);
    this.#slotOf = now;
    return indices.map((i) => now.get(i)!);
  }
}
