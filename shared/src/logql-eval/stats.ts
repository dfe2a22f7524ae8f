/** Loki's per-query `stats`: the summary the evaluator can know (timing fields are zero). */
export interface LokiStats {
  summary: {
    bytesProcessedPerSecond: number;
    linesProcessedPerSecond: number;
    totalBytesProcessed: number;
    totalLinesProcessed: number;
    execTime: number;
    queueTime: number;
    subqueries: number;
    totalEntriesReturned: number;
    splits: number;
    shards: number;
    totalPostFilterLines: number;
    totalStructuredMetadataBytesProcessed: number;
  };
}

/** Counts as the evaluator reads; `budget` caps the lines one query may read. */
export class Tally {
  lines = 0;
  bytes = 0;
  postFilter = 0;
  readonly #budget: number;
  readonly #onOver: () => never;
  constructor(budget: number, onOver: () => never) {
    this.#budget = budget;
    this.#onOver = onOver;
  }
  read(line: string): void {
    this.lines++;
    this.bytes += utf8Bytes(line);
    if (this.lines - this.#uncharged > this.#budget) this.#onOver();
  }
  /** Lines counted without being read (a store's count shortcut): in the stats, not against the budget. */
  counted(n: number): void {
    this.lines += n;
    this.#uncharged += n;
  }
  #uncharged = 0;
  stats(returned: number, execSeconds: number): LokiStats {
    return {
      summary: {
        bytesProcessedPerSecond: execSeconds > 0 ? Math.round(this.bytes / execSeconds) : 0,
        linesProcessedPerSecond: execSeconds > 0 ? Math.round(this.lines / execSeconds) : 0,
        totalBytesProcessed: this.bytes,
        totalLinesProcessed: this.lines,
        execTime: execSeconds,
        queueTime: 0,
        subqueries: 0,
        totalEntriesReturned: returned,
        splits: 0,
        shards: 0,
        totalPostFilterLines: this.postFilter,
        totalStructuredMetadataBytesProcessed: 0,
      },
    };
  }
}

const encoder = new TextEncoder();
export function utf8Bytes(s: string): number {
  // ASCII fast path: most log lines are.
  let ascii = true;
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  return ascii ? s.length : encoder.encode(s).length;
}
