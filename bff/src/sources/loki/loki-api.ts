import type { LokiQueryData, LokiStream } from '@fleetdeck/shared';

/**
 * What the BFF needs of a Loki: the HTTP client (`LokiClient`, a real Loki or the
 * testbed's stand-in) and the demo fleet's in-memory log source both implement it, so
 * routes never know which one they talk to. Queries arrive here already enforced.
 */

/**
 * The X-Scope-OrgID to send: undefined for a single-tenant Loki (no header), else the
 * org ids joined with `|` (Loki's multi-tenant query syntax). Only ever built by the BFF
 * from configuration; never from anything a client sent.
 */
export type OrgIds = readonly string[] | undefined;

/** Times are unix nanoseconds. */
export interface LokiRangeParams {
  query: string;
  start: bigint;
  end: bigint;
  limit: number;
  direction: 'forward' | 'backward';
  step?: string;
  interval?: string;
}
export interface LokiInstantParams {
  query: string;
  time: bigint;
  limit: number;
  direction: 'forward' | 'backward';
}
export interface LokiSpan {
  start: bigint;
  end: bigint;
}

/** Loki's `/loki/api/v1/tail` parameters (its names: `delay_for` ≤ 5 s, `limit`, `start` in ns). */
export interface LokiTailParams {
  query: string;
  start: bigint;
  limit: number;
  delayForSeconds: number;
}

/** One tail frame: Loki sends `dropped_entries` missing, null or a list; we keep the count. */
export interface LokiTailFrame {
  streams: LokiStream[];
  dropped: number;
}

export interface LokiTailHandlers {
  /** The upstream tail is open. */
  onOpen(): void;
  onFrame(frame: LokiTailFrame): void;
  /** The tail ended (Loki closed it, failed, or `close()` was called); called once. */
  onClose(error?: Error): void;
}

export interface LokiTail {
  /** Closes the upstream tail; onClose follows (without an error). */
  close(): void;
}

/** A log query's answer as Loki's own bytes, only the streams `keep` accepted (see streams-splice.ts). */
export interface LokiSplicedStreams {
  /** The whole JSON answer, ready to send: the pieces one after the other (views of Loki's body). */
  parts: readonly Buffer[];
  /** The pieces' total length. */
  bytes: number;
  lines: number;
}

export interface LokiApi {
  queryRange(p: LokiRangeParams, orgIds: OrgIds): Promise<LokiQueryData>;
  /**
   * A log query_range whose answer need not be re-serialised: the streams `keep` accepts,
   * as Loki's bytes, or the parsed (unfiltered) answer when the bytes are not exactly
   * Loki's documented shape. Optional: a source without it is asked `queryRange`.
   */
  queryRangeStreams?(
    p: LokiRangeParams,
    orgIds: OrgIds,
    keep: (labels: Readonly<Record<string, string>>) => boolean,
  ): Promise<LokiSplicedStreams | LokiQueryData>;
  query(p: LokiInstantParams, orgIds: OrgIds): Promise<LokiQueryData>;
  labels(selector: string, span: LokiSpan, orgIds: OrgIds): Promise<string[]>;
  labelValues(name: string, selector: string, span: LokiSpan, orgIds: OrgIds): Promise<string[]>;
  series(selectors: readonly string[], span: LokiSpan, orgIds: OrgIds): Promise<Record<string, string>[]>;
  tail(p: LokiTailParams, orgIds: OrgIds, handlers: LokiTailHandlers): LokiTail;
}
