import type { WebSocket } from 'ws';

import { tailStreams, type Entry, type LogQuery, type StreamResult } from '@fleetdeck/shared/logql-eval';

/**
 * What tail frames carry in `dropped_entries`: `null` (the default; Loki sends it when
 * nothing was dropped), `missing` (the field left out), or `list` — the tail's `limit`
 * is applied per frame and the entries over it are dropped and listed as Loki lists them,
 * `[{labels, timestamp}]` (tests of clients that must accept every form).
 */
export type DroppedEntriesMode = 'null' | 'missing' | 'list';

export interface TailSession {
  tenant: string;
  query: LogQuery;
  limit: number;
  /** `delay_for`: frames are sent this long after the push (Loki waits for late entries). */
  delayMs: number;
  socket: WebSocket;
}

/** One frame for `streams` (the newest `limit` entries kept in `list` mode), or undefined when there is nothing to send. */
export function frame(streams: StreamResult[], limit: number, mode: DroppedEntriesMode): string | undefined {
  if (streams.length === 0) return undefined;
  if (mode === 'null') return JSON.stringify({ streams, dropped_entries: null });
  if (mode === 'missing') return JSON.stringify({ streams });
  const all = streams.flatMap((s) => s.values.map((v) => ({ s, v })));
  all.sort((a, b) => (BigInt(a.v[0]) < BigInt(b.v[0]) ? -1 : BigInt(a.v[0]) > BigInt(b.v[0]) ? 1 : 0));
  const dropped = all.slice(0, Math.max(0, all.length - limit));
  const kept = new Set(all.slice(dropped.length).map((x) => x.v));
  const keptStreams = streams
    .map((s) => ({ stream: s.stream, values: s.values.filter((v) => kept.has(v)) }))
    .filter((s) => s.values.length);
  return JSON.stringify({
    streams: keptStreams,
    dropped_entries: dropped.length === 0 ? null : dropped.map(({ s, v }) => ({ labels: s.stream, timestamp: v[0] })),
  });
}

/** Sends a push's matching lines to every open tail of its tenant. */
export function deliver(
  tails: Iterable<TailSession>,
  tenant: string,
  labels: Readonly<Record<string, string>>,
  entries: readonly Entry[],
  mode: DroppedEntriesMode,
): void {
  for (const tail of tails) {
    if (tail.tenant !== tenant) continue;
    const text = frame(tailStreams(tail.query, labels, entries), tail.limit, mode);
    if (text === undefined) continue;
    if (tail.delayMs === 0) tail.socket.send(text);
    else setTimeout(() => tail.socket.send(text), tail.delayMs).unref();
  }
}
