import WebSocket, { type RawData } from 'ws';

import type { Logger } from '../../lib/logger.ts';
import { parseTailFrame } from './envelopes.ts';
import type { LokiTail, LokiTailHandlers, LokiTailParams, OrgIds } from './loki-api.ts';
import { LokiError } from './loki-error.ts';
import { orgIdHeader } from './org-header.ts';

export interface LokiTailOptions {
  /** Loki's HTTP base URL (http or https); the tail runs on its ws/wss twin. */
  url: string;
  /** TCP connect plus the websocket handshake. */
  connectTimeoutMs: number;
  /** A bigger frame ends the tail (checked by the websocket library before it buffers it all). */
  maxFrameBytes: number;
  logger?: Logger | undefined;
}

/** `…/loki/api/v1/tail?query=&start=&limit=&delay_for=` on ws:// or wss://, keeping any path prefix (a gateway). */
export function tailUrl(base: string, p: LokiTailParams): URL {
  const url = new URL(`${base.replace(/\/$/, '')}/loki/api/v1/tail`);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else throw new LokiError('Loki URL is neither http nor https');
  url.search = new URLSearchParams({
    query: p.query,
    start: p.start.toString(),
    limit: String(p.limit),
    delay_for: String(p.delayForSeconds),
  }).toString();
  return url;
}

const text = (data: RawData): string =>
  Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data).toString('utf8');

/**
 * Loki's live tail over its websocket. The tenant header comes only from `orgIds`
 * (exactly as for queries: none for a single-tenant Loki, and no connection at all for an
 * empty or malformed list); each frame is parsed and checked before `onFrame` sees it, and
 * any failure ends the tail with a LokiError whose message is safe to show. `onClose` is
 * called exactly once, whoever ends it.
 */
export function openLokiTail(opts: LokiTailOptions, p: LokiTailParams, orgIds: OrgIds, handlers: LokiTailHandlers): LokiTail {
  let done = false;
  const finish = (error?: LokiError) => {
    if (done) return;
    done = true;
    handlers.onClose(error);
  };
  const failLater = (error: LokiError): LokiTail => {
    queueMicrotask(() => finish(error));
    return { close: () => finish() };
  };

  const org = orgIdHeader(orgIds);
  if (org === null) {
    opts.logger?.warn({ orgIds }, 'Loki: no tenant to tail');
    return failLater(new LokiError('no Loki tenant to query'));
  }
  let url: URL;
  try {
    url = tailUrl(opts.url, p);
  } catch (err) {
    return failLater(err instanceof LokiError ? err : new LokiError('Loki URL is not usable'));
  }

  const ws = new WebSocket(url, {
    ...(org !== undefined && { headers: { 'X-Scope-OrgID': org } }),
    handshakeTimeout: opts.connectTimeoutMs,
    maxPayload: opts.maxFrameBytes,
    followRedirects: false,
  });
  const fail = (error: LokiError, detail: unknown) => {
    if (done) return;
    opts.logger?.warn({ err: detail, query: p.query }, `Loki tail: ${error.message}`);
    finish(error);
    ws.terminate();
  };

  ws.on('unexpected-response', (_req, res) => {
    const status = res.statusCode ?? 0;
    // Loki's refusal text may quote the query or its internals: to the log only, capped.
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (body.length < 500) body += chunk;
    });
    res.on('end', () => opts.logger?.warn({ status, body: body.slice(0, 500), query: p.query }, 'Loki tail: handshake refused'));
    fail(
      status >= 400 && status < 500
        ? new LokiError(`Loki refused the live tail (HTTP ${status})`, 'refused')
        : new LokiError(`Loki answered the live tail with HTTP ${status}`),
      { status },
    );
  });
  // ws marks itself CLOSING before it reports a connect error: whether it ever opened is ours to keep.
  let opened = false;
  ws.on('open', () => {
    opened = true;
    if (!done) handlers.onOpen();
  });
  ws.on('message', (data, isBinary) => {
    if (done) return;
    if (isBinary) return fail(new LokiError('Loki sent a binary tail frame'), undefined);
    try {
      handlers.onFrame(parseTailFrame(text(data)));
    } catch (err) {
      fail(err instanceof LokiError ? err : new LokiError('the live tail failed'), err);
    }
  });
  ws.on('error', (err: Error & { code?: string }) => {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
      return fail(new LokiError(`Loki sent a tail frame over ${Math.round(opts.maxFrameBytes / 1024)} KiB`), err);
    if (/handshake has timed out/i.test(err.message))
      return fail(new LokiError(`Loki did not open the live tail within ${opts.connectTimeoutMs / 1000} s`), err);
    if (!opened) return fail(new LokiError('Loki is unreachable'), err);
    fail(new LokiError('the live tail connection to Loki failed'), err);
  });
  ws.on('close', (code) => {
    if (done) return;
    opts.logger?.info({ code, query: p.query }, 'Loki tail: closed by Loki');
    // A normal close is still the end of a tail the person expected to go on.
    finish(new LokiError(code === 1000 ? 'Loki ended the live tail' : `Loki ended the live tail (code ${code})`));
  });

  return {
    close() {
      if (done) return;
      finish();
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    },
  };
}
