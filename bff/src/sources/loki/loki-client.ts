import type { LokiQueryData, LokiStream } from '@fleetdeck/shared';

import type { Logger } from '../../lib/logger.ts';
import { TooLarge, readCapped } from '../../lib/read-capped.ts';
import type {
  LokiApi,
  LokiInstantParams,
  LokiRangeParams,
  LokiSpan,
  LokiTail,
  LokiTailHandlers,
  LokiTailParams,
  OrgIds,
} from './loki-api.ts';

export type { LokiInstantParams, LokiRangeParams, LokiSpan, OrgIds } from './loki-api.ts';

/**
 * `message` is safe to show a person; Loki's own words and addresses go to the log.
 * `kind`: `refused` when Loki answered 4xx (the query, as Loki saw it, was not accepted),
 * `upstream` for everything else (unreachable, timeout, 5xx, too large, not Loki's shape).
 */
export class LokiError extends Error {
  override name = 'LokiError';
  readonly kind: 'refused' | 'upstream';
  constructor(message: string, kind: 'refused' | 'upstream' = 'upstream') {
    super(message);
    this.kind = kind;
  }
}

export interface LokiOptions {
  url: string;
  /** The whole call, request to last byte. */
  timeoutMs: number;
  /** Bigger answers are refused (a runaway query must not fill our memory). */
  maxBodyBytes?: number;
  logger?: Logger;
  /** Tests only. */
  fetch?: typeof fetch;
}

const ORG_ID = /^[A-Za-z0-9!._*'()-]{1,150}$/;

/**
 * Loki's HTTP API (`/loki/api/v1/…`): every call has a total timeout and a byte cap, its
 * answer's envelope is checked, and its errors never carry Loki's text to the caller.
 */
export class LokiClient implements LokiApi {
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #logger: Logger | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: LokiOptions) {
    this.#url = options.url.replace(/\/$/, '');
    this.#timeoutMs = options.timeoutMs;
    this.#maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
    this.#logger = options.logger;
    this.#fetch = options.fetch ?? fetch;
  }

  async queryRange(p: LokiRangeParams, orgIds: OrgIds): Promise<LokiQueryData> {
    const params = new URLSearchParams({
      query: p.query,
      start: p.start.toString(),
      end: p.end.toString(),
      limit: String(p.limit),
      direction: p.direction,
      ...(p.step !== undefined && { step: p.step }),
      ...(p.interval !== undefined && { interval: p.interval }),
    });
    return queryData(await this.#get('/loki/api/v1/query_range', params, orgIds), ['streams', 'matrix']);
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

  tail(_p: LokiTailParams, _orgIds: OrgIds, handlers: LokiTailHandlers): LokiTail {
    // Placeholder until the websocket relay lands (issue 13); never reached by a route yet.
    queueMicrotask(() => handlers.onClose(new LokiError('live tail is not available yet')));
    return { close() {} };
  }

  async #get(path: string, params: URLSearchParams, orgIds: OrgIds): Promise<unknown> {
    const fail = (message: string, detail: unknown, kind: LokiError['kind'] = 'upstream'): never => {
      this.#logger?.warn({ err: detail, path, query: params.get('query') ?? params.getAll('match[]') }, `Loki: ${message}`);
      throw new LokiError(message, kind);
    };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (orgIds !== undefined) {
      // Fail closed: an empty list or a malformed id would mean "some other tenant" or none.
      if (orgIds.length === 0 || !orgIds.every((o) => ORG_ID.test(o))) return fail('no Loki tenant to query', orgIds);
      headers['X-Scope-OrgID'] = [...new Set(orgIds)].sort().join('|');
    }
    let text: string;
    let status: number;
    try {
      // One signal for the whole call, body included: a trickling answer cannot hold us.
      const res = await this.#fetch(`${this.#url}${path}?${params.toString()}`, {
        headers,
        redirect: 'error',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      status = res.status;
      text = await readCapped(res, this.#maxBodyBytes);
    } catch (err) {
      if (err instanceof TooLarge) return fail(`Loki answered more than ${Math.round(this.#maxBodyBytes / 1024 / 1024)} MiB`, err);
      if ((err as Error).name === 'TimeoutError') return fail(`Loki did not answer within ${this.#timeoutMs / 1000} s`, err);
      return fail('Loki is unreachable', err);
    }
    if (status >= 400 && status < 500) {
      // Loki answers errors as plain text; it may quote the query or name its own internals.
      return fail(`Loki refused the request (HTTP ${status})`, text.slice(0, 500), 'refused');
    }
    let body: { status?: string; data?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (err) {
      return fail(`Loki answered ${status} without JSON`, err);
    }
    if (status >= 200 && status < 300 && body.status === 'success' && body.data !== undefined) return body.data;
    return fail(`Loki answered ${status}`, text.slice(0, 500));
  }
}

function spanParams(span: LokiSpan, extra: Record<string, string>): URLSearchParams {
  return new URLSearchParams({ ...extra, start: span.start.toString(), end: span.end.toString() });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLabelSet = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const isSample = (v: unknown): v is [number, string] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
const NS = /^\d{1,20}$/;
const isEntry = (v: unknown): v is LokiStream['values'][number] =>
  Array.isArray(v) && v.length >= 2 && typeof v[0] === 'string' && NS.test(v[0]) && typeof v[1] === 'string';

function stringList(data: unknown): string[] {
  // Loki answers `"data": null` or omits it when nothing matched in some versions.
  if (data === null) return [];
  if (!Array.isArray(data) || !data.every((x) => typeof x === 'string')) throw new LokiError('Loki answered an unexpected shape');
  return data;
}

/** Loki's documented query envelopes; anything else is refused (it would pass through unfiltered). */
export function queryData(data: unknown, allowed: readonly LokiQueryData['resultType'][]): LokiQueryData {
  const bad = () => new LokiError('Loki answered an unexpected shape');
  if (!isObject(data) || typeof data.resultType !== 'string') throw bad();
  const type = data.resultType as LokiQueryData['resultType'];
  if (!allowed.includes(type)) throw new LokiError(`Loki answered a ${String(type).slice(0, 20)} result here`);
  const result = data.result ?? [];
  switch (type) {
    case 'streams':
      if (
        !Array.isArray(result) ||
        !result.every((s) => isObject(s) && isLabelSet(s.stream) && Array.isArray(s.values) && s.values.every(isEntry))
      )
        throw bad();
      return { resultType: 'streams', result: result as LokiStream[] };
    case 'matrix':
      if (
        !Array.isArray(result) ||
        !result.every((s) => isObject(s) && isLabelSet(s.metric) && Array.isArray(s.values) && s.values.every(isSample))
      )
        throw bad();
      return { resultType: 'matrix', result: result as Extract<LokiQueryData, { resultType: 'matrix' }>['result'] };
    case 'vector':
      if (!Array.isArray(result) || !result.every((s) => isObject(s) && isLabelSet(s.metric) && isSample(s.value))) throw bad();
      return { resultType: 'vector', result: result as Extract<LokiQueryData, { resultType: 'vector' }>['result'] };
    case 'scalar':
      if (!isSample(result)) throw bad();
      return { resultType: 'scalar', result };
    default:
      throw bad();
  }
}
