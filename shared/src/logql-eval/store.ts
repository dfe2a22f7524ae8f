import type { LabelMatcher, Labels } from './ast.ts';

export type Direction = 'forward' | 'backward';

/** One log entry: unix nanoseconds and the line. */
export type Entry = readonly [ts: bigint, line: string];

/**
 * A stream the evaluator reads. Entries may be generated on demand: the evaluator pulls
 * only as many as the limit needs, in the direction asked.
 */
export interface StoredStream {
  readonly labels: Labels;
  /** Entries with `from <= ts < to`, oldest first (`forward`) or newest first (`backward`). */
  entries(from: bigint, to: bigint, direction: Direction): Iterable<Entry>;
  /** Optional shortcut: how many entries `entries(from, to, …)` would yield, without reading them. */
  count?(from: bigint, to: bigint): number;
  /**
   * Optional, with `lineAt`: the entries' times alone. A log query then orders streams by
   * time and makes lines only for the entries it reaches (a store that generates lines
   * saves the work for every stream whose newest entry never makes the limit).
   */
  timestamps?(from: bigint, to: bigint, direction: Direction): Iterable<bigint>;
  /** The line at a time `timestamps` yielded. */
  lineAt?(ts: bigint): string;
}

/** Where streams come from. */
export interface LogStore {
  /**
   * Streams that may match these matchers (a store may use them to skip work; the
   * evaluator tests every matcher again, so returning every stream is correct too).
   */
  streams(matchers: readonly LabelMatcher[]): Iterable<StoredStream>;
}

export function streamMatches(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  return matchers.every((m) => m.test(labels[m.name]));
}
