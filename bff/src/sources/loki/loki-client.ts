import type { LokiQueryData } from '@fleetdeck/shared';

import type { Logger } from '../../lib/logger.ts';
import { TooLarge, readCappedBytes } from '../../lib/read-capped.ts';
import { isLabelSet, queryData, stringList } from './envelopes.ts';
import type {
  LokiApi,
  LokiInstantParams,
  LokiRangeParams,
  LokiSplicedStreams,
  LokiSpan,
  LokiTail,
  LokiTailHandlers,
  LokiTailParams,
  OrgIds,
} from './loki-api.ts';
import { LokiError } from './loki-error.ts';
import { openLokiTail } from './loki-tail.ts';
import { HttpGetter } from './http-get.ts';
import { orgIdHeader } from './org-header.ts';
import { spliceStreams } from './streams-splice.ts';

export type { LokiInstantParams, LokiRangeParams, LokiSpan, OrgIds } from './loki-api.ts';
export { LokiError } from './loki-error.ts';
export { parseTailFrame, queryData } from './envelopes.ts';

export interface LokiOptions {
  url: string;
  /** The whole call, request to last byte. */
  timeoutMs: number;
  /** Bigger answers are refused (a runaway query must not fill our memory). */
  maxBodyBytes?: number;
  logger?: Logger;
  /** Live tail: TCP connect plus websocket handshake; default `timeoutMs`. */
  tailConnectTimeoutMs?: number;
  /** Live tail: a bigger frame ends the tail with an error. */
  maxTailFrameBytes?: number;
  /** Tests only. */
  fetch?: typeof fetch;
}

/**
 * Loki's HTTP API (`/loki/api/v1/…`): every call has a total timeout and a byte cap, its
 * answer's envelope is checked, and its errors never carry Loki's text to the caller.
 */
export class LokiClient implements LokiApi {
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #logger: Logger | undefined;
  /** Tests' stand-in for the network; node:http(s) otherwise. */
  readonly #fetch: typeof fetch | undefined;
  readonly #http = new HttpGetter();
  readonly #tailConnectTimeoutMs: number;
  readonly #maxTailFrameBytes: number;

  constructor(options: LokiOptions) {
    this.#url = options.url.replace(/\/$/, '');
    this.#timeoutMs = options.timeoutMs;
    this.#maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
    this.#logger = options.logger;
    this.#fetch = options.fetch;
    this.#tailConnectTimeoutMs = options.tailConnectTimeoutMs ?? options.timeoutMs;
    this.#maxTailFrameBytes = options.maxTailFrameBytes ?? 4 * 1024 * 1024;
  }

  async queryRange(p: LokiRangeParams, orgIds: OrgIds): Promise<LokiQueryData> {
    return queryData(await this.#get('/loki/api/v1/query_range', rangeParams(p), orgIds), ['streams', 'matrix']);
  }

  async queryRangeStreams(
    p: LokiRangeParams,
    orgIds: OrgIds,
    keep: (labels: Readonly<Record<string, string>>) => boolean,
  ): Promise<LokiSplicedStreams | LokiQueryData> {
    const { status, body } = await this.#fetchBody('/loki/api/v1/query_range', rangeParams(p), orgIds);
    if (status === 200) {
      const spliced = spliceStreams(body, keep, p.limit);
      if (spliced) return spliced;
    }
    return queryData(this.#data('/loki/api/v1/query_range', rangeParams(p), status, body.toString('utf8')), ['streams', 'matrix']);
  }

  async query(p: LokiInstantParams, orgIds: OrgIds): Promise<LokiQueryData> {
    const params = new URLSearchParams({ query: p.query, time: p.time.toString(), limit: String(p.limit), direction: p.direction });
    return queryData(await this.#get('/loki/api/v1/query', params, orgIds), ['streams', 'vector', 'scalar']);
  }

  async labels(selector: string, span: LokiSpan, orgIds: OrgIds): Promise<string[]> {
    return stringList(await this.#get('/loki/api/v1/labels', spanParams(span, { query: selector }), orgIds));
  }

  async labelValues(name: string, selector: string, span: LokiSpan, orgIds: OrgIds): Promise<string[]> {
    const path = `/loki/api/v1/label/${encodeURIComponent(name)}/values`;
    return stringList(await this.#get(path, spanParams(span, { query: selector }), orgIds));
  }

  async series(selectors: readonly string[], span: LokiSpan, orgIds: OrgIds): Promise<Record<string, string>[]> {
    const params = spanParams(span, {});
    for (const s of selectors) params.append('match[]', s);
    const data = await this.#get('/loki/api/v1/series', params, orgIds);
    if (!Array.isArray(data) || !data.every(isLabelSet)) throw new LokiError('Loki answered an unexpected shape');
    return data;
  }

  tail(p: LokiTailParams, orgIds: OrgIds, handlers: LokiTailHandlers): LokiTail {
    const opts = { url: this.#url, connectTimeoutMs: this.#tailConnectTimeoutMs, maxFrameBytes: this.#maxTailFrameBytes };
    return openLokiTail({ ...opts, logger: this.#logger }, p, orgIds, handlers);
  }

  async #get(path: string, params: URLSearchParams, orgIds: OrgIds): Promise<unknown> {
    const { status, body } = await this.#fetchBody(path, params, orgIds);
    return this.#data(path, params, status, body.toString('utf8'));
  }

  #fail(path: string, params: URLSearchParams, message: string, detail: unknown, kind: LokiError['kind'] = 'upstream'): never {
    this.#logger?.warn({ err: detail, path, query: params.get('query') ?? params.getAll('match[]') }, `Loki: ${message}`);
    throw new LokiError(message, kind);
  }

  /** The status and body of a GET, within the timeout and byte cap. */
  async #fetchBody(path: string, params: URLSearchParams, orgIds: OrgIds): Promise<{ status: number; body: Buffer }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const org = orgIdHeader(orgIds);
    if (org === null) return this.#fail(path, params, 'no Loki tenant to query', orgIds);
    if (org !== undefined) headers['X-Scope-OrgID'] = org;
    const url = `${this.#url}${path}?${params.toString()}`;
    try {
      if (!this.#fetch) return await this.#http.get(url, headers, this.#timeoutMs, this.#maxBodyBytes);
      // One signal for the whole call, body included: a trickling answer cannot hold us.
      const res = await this.#fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(this.#timeoutMs) });
      return { status: res.status, body: await readCappedBytes(res, this.#maxBodyBytes) };
    } catch (err) {
      if (err instanceof TooLarge)
        return this.#fail(path, params, `Loki answered more than ${Math.round(this.#maxBodyBytes / 1024 / 1024)} MiB`, err);
      if ((err as Error).name === 'TimeoutError')
        return this.#fail(path, params, `Loki did not answer within ${this.#timeoutMs / 1000} s`, err);
      return this.#fail(path, params, 'Loki is unreachable', err);
    }
  }

  /** Loki's `data` from a success envelope; its errors as LokiErrors. */
  #data(path: string, params: URLSearchParams, status: number, text: string): unknown {
    if (status >= 400 && status < 500) {
      // Loki answers errors as plain text; it may quote the query or name its own internals.
      return this.#fail(path, params, `Loki refused the request (HTTP ${status})`, text.slice(0, 500), 'refused');
    }
    let body: { status?: string; data?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (err) {
      return this.#fail(path, params, `Loki answered ${status} without JSON`, err);
    }
    if (status >= 200 && status < 300 && body.status === 'success' && body.data !== undefined) return body.data;
    return this.#fail(path, params, `Loki answered ${status}`, text.slice(0, 500));
  }
}

function rangeParams(p: LokiRangeParams): URLSearchParams {
  return new URLSearchParams({
    query: p.query,
    start: p.start.toString(),
    end: p.end.toString(),
    limit: String(p.limit),
    direction: p.direction,
    ...(p.step !== undefined && { step: p.step }),
    ...(p.interval !== undefined && { interval: p.interval }),
  });
}

function spanParams(span: LokiSpan, extra: Record<string, string>): URLSearchParams {
  return new URLSearchParams({ ...extra, start: span.start.toString(), end: span.end.toString() });
}
