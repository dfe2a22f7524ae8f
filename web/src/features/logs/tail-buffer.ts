import type { LogEntry } from './log-entries.ts';

/** The most lines a live tail keeps; the oldest go first. */
export const TAIL_CAP = 100_000;

/** Read-only, newest first: what the list shows, from a query answer or a tail buffer alike. */
export interface LineSource {
  readonly size: number;
  /** The i-th line counted from the newest. */
  at(i: number): LogEntry;
}

/** A query answer (oldest first) as a newest-first line source, without copying it. */
export function newestFirst(entries: readonly LogEntry[]): LineSource {
  return { size: entries.length, at: (i) => entries[entries.length - 1 - i]! };
}

export interface TailSnapshot {
  /** Bumped on every change: a new snapshot object means "render again". */
  version: number;
  lines: LineSource;
  paused: boolean;
  /** Lines received while paused, not shown yet. */
  pending: number;
  /** Lines dropped by the cap (oldest shown ones, or pending beyond it) and those Loki reported dropping. */
  dropped: number;
  /** Lines ever put on top of the list: the list keeps a scrolled-down reader's place by the difference. */
  added: number;
}

/**
 * The live tail's lines: appended in arrival order, read newest first, at most `cap` of
 * them (the oldest leave). Paused, new lines wait aside and are counted; resuming shows
 * them. Appending is amortised O(1) (the array is compacted only when half of it has
 * left), so 100,000 lines and a steady trickle cost no copying per batch.
 */
export class TailBuffer {
  readonly #cap: number;
  #items: LogEntry[] = [];
  #head = 0;
  #pending: LogEntry[] = [];
  #paused = false;
  #dropped = 0;
  #added = 0;
  #version = 0;
  #snapshot: TailSnapshot;
  readonly #listeners = new Set<() => void>();

  constructor(cap = TAIL_CAP) {
    this.#cap = cap;
    this.#snapshot = this.#makeSnapshot();
  }

  /** New lines, oldest first. */
  push(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    if (this.#paused) {
      for (const e of entries) this.#pending.push(e);
      const over = this.#pending.length - this.#cap;
      if (over > 0) {
        this.#pending.splice(0, over);
        this.#dropped += over;
      }
    } else this.#append(entries);
    this.#publish();
  }

  /** Loki said it dropped this many lines (a slow reader). */
  countDropped(n: number): void {
    if (n <= 0) return;
    this.#dropped += n;
    this.#publish();
  }

  /** Starts over from these lines (oldest first): the lines a query showed when the tail began. */
  reset(entries: readonly LogEntry[] = []): void {
    this.#items = [];
    this.#head = 0;
    this.#pending = [];
    this.#dropped = 0;
    this.#append(entries);
    this.#publish();
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#publish();
  }

  /** Shows what waited, marked as arriving now (they are new to the reader). */
  resume(now = Date.now()): void {
    if (!this.#paused) return;
    this.#paused = false;
    const waiting = this.#pending.map((e) => ({ ...e, arrivedAt: now }));
    this.#pending = [];
    this.#append(waiting);
    this.#publish();
  }

  /** Empties the list and what waits (the tail itself keeps running). */
  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#pending = [];
    this.#dropped = 0;
    this.#publish();
  }

  getSnapshot = (): TailSnapshot => this.#snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #append(entries: readonly LogEntry[]): void {
    for (const e of entries) this.#items.push(e);
    this.#added += entries.length;
    const over = this.#items.length - this.#head - this.#cap;
    if (over > 0) {
      this.#head += over;
      this.#dropped += over;
    }
    if (this.#head > 0 && this.#head >= this.#items.length / 2) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  #makeSnapshot(): TailSnapshot {
    // The line source captures this moment's array and bounds: later appends do not show through it.
    const items = this.#items;
    const head = this.#head;
    const end = items.length;
    return {
      version: this.#version,
      lines: { size: end - head, at: (i) => items[end - 1 - i]! },
      paused: this.#paused,
      pending: this.#pending.length,
      dropped: this.#dropped,
      added: this.#added,
    };
  }

  #publish(): void {
    this.#version++;
    this.#snapshot = this.#makeSnapshot();
    for (const l of this.#listeners) l();
  }
}
