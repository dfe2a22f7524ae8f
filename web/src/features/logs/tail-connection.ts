import {
  LOGS_TAIL_MAX_LIMIT,
  LOGS_TAIL_MAX_LOOKBACK_SECONDS,
  Problem,
  apiUrl,
  logsApiPaths,
  logsTailEvents,
  type LogsTailLines,
} from '@fleetdeck/shared';

import type { EventSourceLike } from '../../api/live/live-connection.ts';

export type TailState = 'connecting' | 'live' | 'reconnecting' | 'failed' | 'stopped';

export interface TailHandlers {
  onLines(lines: LogsTailLines): void;
  onState(state: TailState, problem: Problem | undefined): void;
}

export interface TailOptions {
  createEventSource: (url: string) => EventSourceLike;
  /**
   * Why a tail URL is refused: an EventSource reports only "error" when the answer is
   * not a stream, so the URL is asked once more with fetch for its problem JSON
   * (undefined when it answers fine, or cannot be asked).
   */
  diagnose?: (url: string) => Promise<Problem | undefined>;
  now?: () => number;
  /** Backoff between reconnects: doubles from `initialMs` up to `maxMs`; reset when the tail is ready again. */
  backoff?: { initialMs: number; maxMs: number };
}

/** A tail that reconnects resumes just after the newest line it saw. */
function nextStart(ns: string): string {
  return (BigInt(ns) + 1n).toString();
}

/**
 * A tail's start as the BFF accepts it: not in the future, and not further back than its
 * look-back (less a minute, so a browser clock a little behind is still fine); the
 * earliest accepted when there is none.
 */
export function clampTailStart(start: string | undefined, nowMs: number): string {
  const now = BigInt(Math.floor(nowMs)) * 1_000_000n;
  const earliest = now - BigInt(LOGS_TAIL_MAX_LOOKBACK_SECONDS - 60) * 1_000_000_000n;
  if (start === undefined) return earliest.toString();
  const t = BigInt(start);
  return (t < earliest ? earliest : t > now ? now : t).toString();
}

/** Asks a tail URL with fetch and reads its problem JSON when it is refused; stops reading at once either way. */
export async function diagnoseTail(url: string): Promise<Problem | undefined> {
  const abort = new AbortController();
  try {
    const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/event-stream' }, signal: abort.signal });
    if (res.ok) return undefined;
    const parsed = Problem.safeParse(await res.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  } finally {
    abort.abort();
  }
}

/**
 * One live tail (`GET /api/logs/tail`, Server-Sent Events) for one query. Every event is
 * parsed with the shared schemas; anything else is ignored. A dropped connection is
 * reopened by us (never by the browser, which would repeat the original `start` and
 * replay lines) with exponential backoff, from just after the newest line seen. An
 * `error` event carries problem JSON: shown, and retried unless the BFF refused the
 * request itself (4xx: retrying cannot help).
 */
export class TailConnection {
  readonly #query: string;
  readonly #handlers: TailHandlers;
  readonly #create: TailOptions['createEventSource'];
  readonly #backoff: { initialMs: number; maxMs: number };
  readonly #diagnose: TailOptions['diagnose'];
  readonly #now: () => number;
  #source: EventSourceLike | undefined;
  #start: string | undefined;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #ready = false;

  constructor(query: string, start: string | undefined, handlers: TailHandlers, options: TailOptions) {
    this.#query = query;
    this.#start = start;
    this.#handlers = handlers;
    this.#create = options.createEventSource;
    this.#backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
    this.#diagnose = options.diagnose;
    this.#now = options.now ?? Date.now;
    this.#open();
  }

  /** Closes the tail for good. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#close();
    this.#handlers.onState('stopped', undefined);
  }

  #open(): void {
    this.#handlers.onState(this.#failures > 0 ? 'reconnecting' : 'connecting', undefined);
    const start = clampTailStart(this.#start, this.#now());
    const url = apiUrl(logsApiPaths.tail, {}, { query: this.#query, start, limit: LOGS_TAIL_MAX_LIMIT });
    const source = this.#create(url);
    this.#source = source;
    this.#ready = false;
    source.addEventListener('ready', () => {
      this.#ready = true;
      this.#failures = 0;
      this.#handlers.onState('live', undefined);
    });
    source.addEventListener('lines', (e) => {
      const parsed = logsTailEvents.lines.safeParse(parseJson(e.data));
      if (!parsed.success) return;
      for (const s of parsed.data.streams) {
        for (const [ns] of s.values) if (this.#start === undefined || BigInt(ns) >= BigInt(this.#start)) this.#start = nextStart(ns);
      }
      this.#handlers.onLines(parsed.data);
    });
    // `error` is both the BFF's named event (a MessageEvent with problem JSON) and the
    // browser's own "connection lost" (a plain Event without data).
    source.addEventListener('error', (e: Event) => {
      if (this.#source !== source) return;
      const data: unknown = 'data' in e ? (e as MessageEvent<unknown>).data : undefined;
      const parsed = typeof data === 'string' ? Problem.safeParse(parseJson(data)) : undefined;
      if (parsed?.success) return this.#failed(parsed.data);
      // Refused before it began streaming: ask why once (the EventSource cannot tell).
      const wasReady = this.#ready;
      this.#close();
      if (wasReady || !this.#diagnose) return this.#retry(undefined);
      void this.#diagnose(url).then((problem) => {
        if (this.#stopped || this.#source !== undefined) return;
        if (problem) this.#failed(problem);
        else this.#retry(undefined);
      });
    });
  }

  /** A problem from the BFF: shown; retried unless the request itself was refused (4xx other than 429: retrying cannot help). */
  #failed(problem: Problem): void {
    this.#close();
    if (problem.status >= 400 && problem.status < 500 && problem.status !== 429) {
      this.#handlers.onState('failed', problem);
      return;
    }
    this.#retry(problem);
  }

  #retry(problem: Problem | undefined): void {
    this.#close();
    if (this.#stopped) return;
    const delay = Math.min(this.#backoff.maxMs, this.#backoff.initialMs * 2 ** this.#failures);
    this.#failures++;
    this.#handlers.onState('reconnecting', problem);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) this.#open();
    }, delay);
  }

  #close(): void {
    if (!this.#source) return;
    this.#source.onerror = null;
    this.#source.close();
    this.#source = undefined;
  }
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
