import type { Response } from 'express';

import type { LogsStream, LogsTailLines, Problem } from '@fleetdeck/shared';

import type { LogAccess } from '../access/logql/index.ts';
import { SSE_HEARTBEAT, openEventStream, sseEvent } from '../lib/sse.ts';
import type { LokiApi, LokiTail, LokiTailFrame, LokiTailParams, OrgIds } from '../sources/loki/loki-api.ts';
import { LokiError } from '../sources/loki/loki-error.ts';
import { ScopeFilter } from '../sources/loki/scoped-results.ts';
import { TailBudget, type LogsTailLimits } from './logs-tail-limits.ts';

/** One upstream tail: the query enforced for one access group, and that group's tenant header. */
export interface TailPart {
  query: string;
  access: LogAccess;
  orgIds: OrgIds;
}

export interface LogsTailRelayOptions {
  loki: LokiApi;
  parts: readonly TailPart[];
  params: Omit<LokiTailParams, 'query'>;
  limits: LogsTailLimits;
  /** Quoted in `error` events, as in every problem. */
  requestId: string;
  instance: string;
  /** Called once when the tail ends, however it ends (the route gives its slots back). */
  onEnd(): void;
  now?: () => number;
}

/**
 * Where a relayed tail goes: the Logs page's event stream (`sseTailSink`) or a Loki
 * client's websocket (loki-tail-ws.ts). The relay decides what is sent; the sink only
 * how it is written.
 */
export interface TailSink {
  /** Bytes written but not yet sent (beyond `maxBufferedBytes`, lines are counted as dropped). */
  readonly buffered: number;
  readonly ended: boolean;
  lines(data: LogsTailLines): void;
  heartbeat(): void;
  /** The last thing written when a tail ends on a problem; `end()` follows. */
  error(problem: Problem): void;
  end(): void;
  /** The reader left. */
  onClose(listener: () => void): void;
}

/** The Logs page's sink: event-stream headers and `ready` at once, then `lines`, heartbeat comments and a final `error`. */
export function sseTailSink(res: Response): TailSink {
  // No `retry`: an EventSource would reconnect on its own, and a tail is restarted by the page.
  openEventStream(res);
  res.write(sseEvent('ready', '{}'));
  return {
    get buffered() {
      return res.writableLength;
    },
    get ended() {
      return res.writableEnded;
    },
    lines: (data) => res.write(sseEvent('lines', JSON.stringify(data))),
    heartbeat: () => res.write(SSE_HEARTBEAT),
    error: (problem) => res.write(sseEvent('error', JSON.stringify(problem))),
    end: () => res.end(),
    onClose: (listener) => res.on('close', listener),
  };
}

type State = 'idle' | 'opening' | 'open' | 'streaming' | 'ended';

/** Newest-last, comparing unix-ns strings without BigInt (at most 20 digits, no leading zeros). */
const byTime = (a: [string, string], b: [string, string]) => a[0].length - b[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * Relays one live tail to one browser: Loki's tail websocket once per access group
 * (`open`, before anything is answered), then Server-Sent Events (`stream`: `ready`, then
 * `lines` — each frame filtered once more by its group's scope, held to the tail's line
 * and byte budget (what exceeds it is counted into `dropped`, never queued) — heartbeat
 * comments, and a final `error` when Loki fails or a cap ends the tail) or any other
 * TailSink (`streamTo`, Loki's own websocket). Closing the
 * browser's connection closes every upstream socket.
 */
export class LogsTailRelay {
  readonly #opts: LogsTailRelayOptions;
  readonly #budget: TailBudget;
  #state: State = 'idle';
  #upstreams: LokiTail[] = [];
  #sink: TailSink | undefined;
  /** Frames made before the reader's stream began (the initial backfill arrives while other groups connect). */
  #pending: LogsTailLines[] = [];
  /** Drops not yet reported (a reader too slow to write to). */
  #carried = 0;
  #timers: NodeJS.Timeout[] = [];
  /** While opening: how `open()`'s promise fails if the tail is closed first. */
  #rejectOpen: ((reason: LokiError) => void) | undefined;

  constructor(opts: LogsTailRelayOptions) {
    this.#opts = opts;
    this.#budget = new TailBudget(opts.limits, opts.now);
  }

  /** Opens every upstream tail; rejects with the first failure (a LokiError), every other upstream closed. */
  open(): Promise<void> {
    if (this.#state !== 'idle') throw new Error('open() once');
    this.#state = 'opening';
    return new Promise<void>((resolve, reject) => {
      this.#rejectOpen = reject;
      let opened = 0;
      this.#opts.parts.forEach((part, index) => {
        const filter = new ScopeFilter(part.access);
        const tail = this.#opts.loki.tail({ ...this.#opts.params, query: part.query }, part.orgIds, {
          onOpen: () => {
            if (this.#state !== 'opening' || ++opened < this.#opts.parts.length) return;
            this.#state = 'open';
            this.#rejectOpen = undefined;
            resolve();
          },
          onFrame: (frame) => this.#frame(filter, frame),
          onClose: (error) => {
            if (this.#state === 'ended') return;
            const reason = error instanceof LokiError ? error : new LokiError('Loki ended the live tail');
            if (this.#state === 'opening') this.close(reason);
            else this.#fail(502, 'Upstream error', reason.message);
          },
        });
        // onClose may already have ended everything (a part failing at once).
        if (this.#state === 'ended') tail.close();
        else this.#upstreams[index] = tail;
      });
    });
  }

  /**
   * Takes over the response as an event stream: headers, `ready`, what arrived meanwhile,
   * then live lines until the end. False (nothing written) when the tail already ended.
   */
  stream(res: Response): boolean {
    if (this.#state === 'ended') return false;
    return this.streamTo(sseTailSink(res));
  }

  /** As `stream`, to any sink: what arrived meanwhile, then live lines until the end. False when the tail already ended. */
  streamTo(sink: TailSink): boolean {
    if (this.#state === 'ended') return false;
    if (this.#state !== 'open') throw new Error('stream() after open()');
    this.#state = 'streaming';
    this.#sink = sink;
    sink.onClose(() => this.close());
    for (const data of this.#pending) sink.lines(data);
    this.#pending = [];
    const heartbeat = setInterval(() => this.#write((s) => s.heartbeat()), this.#opts.limits.heartbeatMs);
    const maxAge = setTimeout(() => {
      const minutes = Math.round(this.#opts.limits.maxDurationMs / 60_000);
      this.#fail(408, 'Tail ended', `a live tail runs for at most ${minutes} minutes; start it again`);
    }, this.#opts.limits.maxDurationMs);
    heartbeat.unref();
    maxAge.unref();
    this.#timers.push(heartbeat, maxAge);
    return true;
  }

  /** Ends the tail without a word to the browser (it left, or open failed: `reason` is what `open()` rejects with). */
  close(reason = new LokiError('the live tail was stopped')): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.#rejectOpen?.(reason);
    this.#rejectOpen = undefined;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    for (const u of this.#upstreams) u?.close();
    this.#upstreams = [];
    this.#pending = [];
    if (this.#sink && !this.#sink.ended) this.#sink.end();
    this.#opts.onEnd();
  }

  #fail(status: number, title: string, detail: string): void {
    if (this.#state === 'ended') return;
    const problem: Problem = { type: 'about:blank', title, status, detail, instance: this.#opts.instance, requestId: this.#opts.requestId };
    this.#write((s) => s.error(problem), true);
    this.close();
  }

  #frame(filter: ScopeFilter, frame: LokiTailFrame): void {
    if (this.#state === 'ended' || this.#state === 'idle') return;
    let dropped = frame.dropped;
    const streams: LogsStream[] = [];
    for (const s of frame.streams) {
      // Another group's or tenant's stream: neither sent nor counted (a count would tell it exists).
      if (!filter.allows(s.stream, true)) continue;
      const values: [string, string][] = [];
      for (const [ts, line] of s.values.map(([ts, line]): [string, string] => [ts, line]).sort(byTime)) {
        if (this.#budget.take(line.length)) values.push([ts, line]);
        else dropped++;
      }
      if (values.length > 0) streams.push({ stream: s.stream, values });
    }
    if (streams.length === 0 && dropped === 0) return;
    const lines = streams.reduce((n, s) => n + s.values.length, 0);
    const sink = this.#sink;
    if (sink && sink.buffered > this.#opts.limits.maxBufferedBytes) {
      this.#carried += lines + dropped;
      return;
    }
    const data: LogsTailLines = { streams, dropped: dropped + this.#carried };
    this.#carried = 0;
    if (this.#state === 'streaming') this.#write((s) => s.lines(data));
    else this.#pending.push(data);
  }

  /** `force`: write even past the buffer bound (the final `error` must reach the reader). */
  #write(write: (sink: TailSink) => void, force = false): void {
    const sink = this.#sink;
    if (!sink || sink.ended) return;
    if (!force && sink.buffered > this.#opts.limits.maxBufferedBytes) return;
    write(sink);
  }
}
