import type { QueryData, RawAnswer } from '../prometheus/prometheus-client.ts';

/** When a query is evaluated: a range (matrix answer) or one instant (vector answer). */
export type Evaluation = { from: number; to: number; step: number } | { at: number };

export interface QueryCacheOptions {
  /** How long an answer is reused after it arrived: short, so a refresh still sees new samples soon. */
  ttlMs: number;
  /** At most this many answers… */
  maxEntries: number;
  /** …and about this many bytes of them (estimated from their points and labels). */
  maxBytes: number;
  /** The clock, in ms (tests move it). */
  now?: () => number;
}

export const DEFAULT_QUERY_CACHE: QueryCacheOptions = { ttlMs: 15_000, maxEntries: 2_000, maxBytes: 64 * 1024 * 1024 };

/**
 * The cache key: the query text exactly as it goes upstream — already enforced, so it carries
 * the person's scope (two scopes never share an entry) — and the evaluation. Preset windows end
 * on a step boundary (window.ts), so everyone looking at the same range within one step
 * shares the same key.
 */
export function queryKey(enforcedQuery: string, when: Evaluation): string {
  return JSON.stringify('at' in when ? ['instant', when.at, enforcedQuery] : ['range', when.from, when.to, when.step, enforcedQuery]);
}

/** About the bytes an answer takes in memory: its labels, and ~40 bytes a point. */
export function answerBytes(answer: RawAnswer<QueryData>): number {
  let bytes = 64;
  const { result } = answer.data;
  if (!Array.isArray(result)) return bytes + 64;
  for (const row of result) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      bytes += 64;
      continue;
    }
    bytes += 96;
    for (const [k, v] of Object.entries(row.metric ?? {})) bytes += 2 * (k.length + v.length) + 32;
    bytes += 40 * ('values' in row && Array.isArray(row.values) ? row.values.length : 1);
  }
  for (const w of answer.warnings) bytes += 2 * w.length;
  return bytes;
}

interface Entry {
  expires: number;
  bytes: number;
  value: Promise<RawAnswer<QueryData>>;
}

/**
 * A short-lived cache of upstream answers, so N people looking at the same fleet cost one
 * set of queries, not N: identical queries in flight share one request; answers are kept
 * `ttlMs`, least recently used evicted beyond `maxEntries` / `maxBytes`; failures are not kept.
 * It stores the upstream's answer as is: the caller still filters it for the person (the
 * second wall), and the key is the enforced text, so no one reads an answer computed for another scope.
 */
export class QueryCache {
  readonly #entries = new Map<string, Entry>();
  readonly #options: QueryCacheOptions;
  readonly #now: () => number;
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(options: Partial<QueryCacheOptions> = {}) {
    this.#options = { ...DEFAULT_QUERY_CACHE, ...options };
    this.#now = options.now ?? (() => Date.now());
  }

  get size(): number {
    return this.#entries.size;
  }

  /** How long an answer is kept: what anything cached beside these answers should keep to. */
  get ttlMs(): number {
    return this.#options.ttlMs;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The answer for `key`: kept, in flight, or loaded by `load` now. */
  get(key: string, load: () => Promise<RawAnswer<QueryData>>): Promise<RawAnswer<QueryData>> {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now) {
      this.hits++;
      // Most recently used last: Map keeps insertion order, so the first entry is the one to evict.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    if (hit) this.#remove(key, hit);
    this.misses++;
    // In flight, an entry never expires (callers share the one request); its TTL runs from its answer.
    const entry: Entry = { expires: Number.POSITIVE_INFINITY, bytes: 0, value: load() };
    this.#entries.set(key, entry);
    this.#evict();
    entry.value.then(
      (answer) => {
        if (this.#entries.get(key) !== entry) return;
        const bytes = answerBytes(answer);
        // One answer bigger than a quarter of the budget would push out everything else: not kept.
        if (bytes > this.#options.maxBytes / 4) {
          this.#remove(key, entry);
          return;
        }
        entry.bytes = bytes;
        entry.expires = this.#now() + this.#options.ttlMs;
        this.#bytes += bytes;
        this.#evict();
      },
      () => {
        if (this.#entries.get(key) === entry) this.#remove(key, entry);
      },
    );
    return entry.value;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  #evict(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      const over = this.#entries.size > this.#options.maxEntries || this.#bytes > this.#options.maxBytes;
      if (!over && entry.expires > now) break;
      this.#remove(key, entry);
    }
  }
}
