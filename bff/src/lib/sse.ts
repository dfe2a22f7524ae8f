import type { Response } from 'express';

/**
 * Server-Sent Events framing shared by every stream the BFF serves (`/api/events`,
 * `/api/logs/tail`): the headers that keep proxies from buffering or transforming the
 * stream, and the wire form of an event.
 */

/** A comment line: keeps idle connections open through proxies and lets either side notice a dead peer. */
export const SSE_HEARTBEAT = ': ping\n\n';

/** Answers 200 with the event-stream headers, flushed at once; `retryMs`: the client's reconnect delay. */
export function openEventStream(res: Response, retryMs?: number): void {
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  if (retryMs !== undefined) res.write(`retry: ${retryMs}\n\n`);
}

/** One event; `data` must be a single line (JSON is). */
export function sseEvent(event: string, data: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}
