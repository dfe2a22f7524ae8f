import type { LogQuery } from './ast.ts';
import { labelsKey, runPipeline } from './pipeline.ts';
import type { Tally } from './stats.ts';
import { streamMatches, type Direction, type Entry, type LogStore, type StoredStream } from './store.ts';

/** Loki's stream result: `values` are `[ns as a decimal string, line]`. */
export interface StreamResult {
  stream: Record<string, string>;
  values: [string, string][];
}

interface Head {
  ts: bigint;
  /** Undefined when the stream makes lines on demand (`lineAt`). */
  line: string | undefined;
  /** Which stream: ties break on it, so results are deterministic. */
  order: number;
  stream: StoredStream;
  rest: Iterator<Entry | bigint>;
}

/** A stream's entries in `direction`, as times only when it can make lines on demand. */
function cursor(s: StoredStream, from: bigint, to: bigint, direction: Direction): Iterator<Entry | bigint> {
  if (s.timestamps && s.lineAt) return s.timestamps(from, to, direction)[Symbol.iterator]();
  return s.entries(from, to, direction)[Symbol.iterator]();
}

const split = (e: Entry | bigint): [bigint, string | undefined] => (typeof e === 'bigint' ? [e, undefined] : [e[0], e[1]]);

/**
 * The newest (`backward`) or oldest (`forward`) `limit` entries of a log query within
 * [start, end): a k-way merge over the matching streams' entries in that direction, so a
 * store that generates entries lazily generates only about what the limit needs.
 * Streams in the result are grouped by their labels after the pipeline.
 */
export function selectLogs(
  q: LogQuery,
  store: LogStore,
  sel: { start: bigint; end: bigint; limit: number; direction: Direction },
  tally: Tally,
): { streams: StreamResult[]; returned: number } {
  const before = sel.direction === 'backward' ? (a: Head, b: Head) => a.ts > b.ts : (a: Head, b: Head) => a.ts < b.ts;
  const heap = new MinHeap<Head>((a, b) => (a.ts === b.ts ? a.order < b.order : before(a, b)));
  let order = 0;
  for (const s of store.streams(q.matchers)) {
    if (!streamMatches(q.matchers, s.labels)) continue;
    const rest = cursor(s, sel.start, sel.end, sel.direction);
    const first = rest.next();
    if (first.done) continue;
    const [ts, line] = split(first.value);
    heap.push({ ts, line, order: order++, stream: s, rest });
  }
  const grouped = new Map<string, StreamResult>();
  let returned = 0;
  while (returned < sel.limit && heap.size > 0) {
    const head = heap.pop()!;
    const line = head.line ?? head.stream.lineAt!(head.ts);
    tally.read(line);
    const out = runPipeline(q, head.stream.labels, line);
    if (out) {
      tally.postFilter++;
      const key = q.stages.length === 0 ? String(head.order) : labelsKey(out.labels);
      let group = grouped.get(key);
      if (!group) grouped.set(key, (group = { stream: { ...out.labels }, values: [] }));
      group.values.push([head.ts.toString(), out.line]);
      returned++;
    }
    const next = head.rest.next();
    if (!next.done) {
      const [ts, nextLine] = split(next.value);
      heap.push({ ...head, ts, line: nextLine });
    }
  }
  return { streams: [...grouped.values()], returned };
}

/** A live tail's view of new entries of one stream: the query's pipeline applied, grouped by resulting labels. */
export function tailStreams(q: LogQuery, labels: Readonly<Record<string, string>>, entries: Iterable<Entry>): StreamResult[] {
  if (!streamMatches(q.matchers, labels)) return [];
  const grouped = new Map<string, StreamResult>();
  for (const [ts, line] of entries) {
    const out = runPipeline(q, labels, line);
    if (!out) continue;
    const key = labelsKey(out.labels);
    let group = grouped.get(key);
    if (!group) grouped.set(key, (group = { stream: { ...out.labels }, values: [] }));
    group.values.push([ts.toString(), out.line]);
  }
  return [...grouped.values()];
}

/** A binary heap; `less(a, b)`: a comes out first. */
class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #less: (a: T, b: T) => boolean;
  constructor(less: (a: T, b: T) => boolean) {
    this.#less = less;
  }
  get size(): number {
    return this.#items.length;
  }
  push(item: T): void {
    const a = this.#items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.#less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.#less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
