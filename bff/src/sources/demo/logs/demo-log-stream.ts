import type { Direction, Entry, StoredStream } from '@fleetdeck/shared/logql-eval';

import type { DemoLogStream } from './demo-log-catalog.ts';
import { unit } from './demo-log-hash.ts';
import { lineOf } from './demo-log-lines.ts';

const NS_PER_MS = 1_000_000n;

/**
 * One demo stream as the evaluator reads it. Time is cut into slots of the stream's
 * period; slot k holds exactly one line, at a fixed jitter inside the slot, so entries in
 * any window are found by arithmetic (generated only when read, newest or oldest first)
 * and counted without generating any. Nothing after `now()` exists yet: as time passes,
 * new lines appear — the live trickle.
 */
export class DemoStoredStream implements StoredStream {
  readonly labels: Readonly<Record<string, string>>;
  readonly #s: DemoLogStream;
  readonly #nowNs: bigint;
  readonly #onLine: (() => void) | undefined;

  constructor(s: DemoLogStream, nowNs: bigint, onLine?: () => void) {
    this.labels = s.labels;
    this.#s = s;
    this.#nowNs = nowNs;
    this.#onLine = onLine;
  }

  /** Slot k's time in ns: its start plus a jitter below the period (and sub-ms ns, so times rarely tie). */
  #tsOf(k: number): bigint {
    const { periodMs, phaseMs, seed } = this.#s;
    const ms = phaseMs + k * periodMs + Math.floor(unit(seed, k, 7) * (periodMs - 1));
    return BigInt(ms) * NS_PER_MS + BigInt(Math.floor(unit(seed, k, 8) * 1_000_000));
  }

  /** The slots that may hold a line in [from, to), to capped at now (inclusive). */
  #slots(from: bigint, to: bigint): { first: number; last: number; to: bigint } | undefined {
    const end = to > this.#nowNs + 1n ? this.#nowNs + 1n : to;
    if (end <= from) return undefined;
    const { periodMs, phaseMs } = this.#s;
    const first = Math.floor((Number(from / NS_PER_MS) - phaseMs) / periodMs);
    const last = Math.floor((Number((end - 1n) / NS_PER_MS) - phaseMs) / periodMs);
    return { first, last, to: end };
  }

  /** Slots of the entries in [from, to), in direction order, with their times. */
  *#walk(from: bigint, to: bigint, direction: Direction): Generator<[number, bigint]> {
    const slots = this.#slots(from, to);
    if (!slots) return;
    const step = direction === 'forward' ? 1 : -1;
    for (let k = direction === 'forward' ? slots.first : slots.last; k >= slots.first && k <= slots.last; k += step) {
      const ts = this.#tsOf(k);
      if (ts >= from && ts < slots.to) yield [k, ts];
    }
  }

  *entries(from: bigint, to: bigint, direction: Direction): Iterable<Entry> {
    for (const [k, ts] of this.#walk(from, to, direction)) yield [ts, this.#line(k, ts)];
  }

  *timestamps(from: bigint, to: bigint, direction: Direction): Iterable<bigint> {
    for (const [, ts] of this.#walk(from, to, direction)) yield ts;
  }

  lineAt(ts: bigint): string {
    const { periodMs, phaseMs } = this.#s;
    return this.#line(Math.floor((Number(ts / NS_PER_MS) - phaseMs) / periodMs), ts);
  }

  #line(k: number, ts: bigint): string {
    this.#onLine?.();
    return lineOf(this.#s, k, Number(ts / NS_PER_MS));
  }

  count(from: bigint, to: bigint): number {
    const slots = this.#slots(from, to);
    if (!slots) return 0;
    let n = slots.last - slots.first + 1;
    // Only the two boundary slots can hold a line outside the window.
    const outside = (k: number) => {
      const ts = this.#tsOf(k);
      return ts < from || ts >= slots.to;
    };
    if (outside(slots.first)) n--;
    if (slots.last !== slots.first && outside(slots.last)) n--;
    return Math.max(0, n);
  }
}
