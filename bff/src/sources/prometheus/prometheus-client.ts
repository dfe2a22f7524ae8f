import type { Logger } from '../../lib/logger.ts';
import { TooLarge, readCapped } from '../../lib/read-capped.ts';

/** One sample of an instant vector, as the Prometheus HTTP API returns it. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** `message` is safe to show on a panel; the upstream's own words and addresses go to the log. */
export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

/**
 * Prometheus refused the query itself (HTTP 400/422, `bad_data` / `execution`): `promMessage`
 * is its own parse or execution error about the query, shown to the caller only when it
 * names no address (`safeQueryError`); `message` is safe in any case.
 */
export class PrometheusQueryError extends PrometheusError {
  override name = 'PrometheusQueryError';
  readonly promMessage: string | undefined;

  constructor(message: string, promMessage: string | undefined) {
    super(message);
    this.promMessage = promMessage;
  }
}

/** What the raw endpoints answer: Prometheus' `data`, and its `warnings` (its own words: filter before showing). */
export interface RawAnswer<T> {
  data: T;
  warnings: string[];
}

/** Instant and range query results as Prometheus sends them. */
export type QueryData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values?: [number, string][]; histograms?: unknown[] }[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

/** Optional time bounds and limit of the series and label APIs (unix seconds). */
export interface MetadataOptions {
  start?: number;
  end?: number;
  limit?: number;
}

// Anything that looks like an address, a host or a transport failure: such text stays in our log.
const UNSAFE_TEXT =
  /:\/\/|\b\d{1,3}(?:\.\d{1,3}){3}\b|\[[0-9a-f:]*:[0-9a-f:]*\]|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+:\d{2,5}\b|dial |rpc error|no such host|connection|tls|x509|certificate/i;

/** Prometheus' own error text when it is only about the query (no address, host or transport words), else undefined. */
export function safeQueryError(text: string | undefined): string | undefined {
  if (text === undefined || text.length === 0 || text.length > 1000 || UNSAFE_TEXT.test(text)) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters never reach a caller
  return /[\x00-\x08\x0b-\x1f\x7f]/.test(text) ? undefined : text;
}

export interface PrometheusOptions {
  url: string;
  thanos: boolean;
  /** The whole call, request to last byte. */
  timeoutMs: number;
  /** Bigger answers are refused (a runaway query must not fill our memory). */
  maxBodyBytes?: number;
  /**
   * Ask for gzip answers (default, as Node's fetch does). Off: `Accept-Encoding: identity`.
   * Next to Prometheus, compressing costs both sides CPU for bandwidth nobody is short of.
   */
  compression?: boolean;
  logger?: Logger;
}

/**
 * The Prometheus HTTP API (which Thanos Query serves too). Thanos-only parameters
 * (`dedup`, `partial_response`) are sent only when the upstream is Thanos.
 */
export class PrometheusClient {
  readonly #url: string;
  readonly #thanos: boolean;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #headers: Record<string, string>;
  readonly #logger: Logger | undefined;

  constructor(options: PrometheusOptions) {
    this.#url = options.url.replace(/\/$/, '');
    this.#thanos = options.thanos;
    this.#timeoutMs = options.timeoutMs;
    this.#maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
    this.#headers = options.compression === false ? { 'accept-encoding': 'identity' } : {};
    this.#logger = options.logger;
  }

  /** A range query; returns the matrix's series as [seconds, value] samples. */
  async range(
    query: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<{ metric: Record<string, string>; values: [number, string][] }[]> {
    const params = new URLSearchParams({
      query,
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: String(stepSeconds),
      ...(this.#thanos && { dedup: 'true', partial_response: 'true' }),
    });
    const data = await this.#post<{ resultType?: string; result?: { metric: Record<string, string>; values: [number, string][] }[] }>(
      '/api/v1/query_range',
      params,
    );
    if (data.resultType !== 'matrix') throw new PrometheusError(`expected a matrix, got ${data.resultType}`);
    return data.result ?? [];
  }

  async instant(query: string, time?: Date): Promise<VectorSample[]> {
    const params = new URLSearchParams({
      query,
      ...(time && { time: String(time.getTime() / 1000) }),
      ...(this.#thanos && { dedup: 'true', partial_response: 'true' }),
    });
    const data = await this.#post<{ resultType?: string; result?: VectorSample[] }>('/api/v1/query', params);
    if (data.resultType !== 'vector') throw new PrometheusError(`expected a vector, got ${data.resultType}`);
    return data.result ?? [];
  }

  /** An instant query, any result type; the query must already be limited to the caller's scope. */
  instantRaw(query: string, options: { time?: number } = {}): Promise<RawAnswer<QueryData>> {
    const params = new URLSearchParams({
      query,
      ...(options.time !== undefined && { time: String(options.time) }),
      ...this.#thanosParams(),
    });
    return this.#call<QueryData>('POST', '/api/v1/query', params);
  }

  /** A range query (unix seconds, step in seconds); the query must already be limited to the caller's scope. */
  rangeRaw(query: string, start: number, end: number, stepSeconds: number): Promise<RawAnswer<QueryData>> {
    const params = new URLSearchParams({
      query,
      start: String(start),
      end: String(end),
      step: String(stepSeconds),
      ...this.#thanosParams(),
    });
    return this.#call<QueryData>('POST', '/api/v1/query_range', params);
  }

  /** Series matching any of `matchers` (already limited to the caller's scope; at least one). */
  seriesRaw(matchers: readonly string[], options: MetadataOptions = {}): Promise<RawAnswer<Record<string, string>[]>> {
    return this.#call<Record<string, string>[]>('POST', '/api/v1/series', metadataParams(matchers, options, this.#thanosParams()));
  }

  /** Label names of the series matching any of `matchers` (already limited to the caller's scope). */
  labelsRaw(matchers: readonly string[], options: MetadataOptions = {}): Promise<RawAnswer<string[]>> {
    return this.#call<string[]>('POST', '/api/v1/labels', metadataParams(matchers, options, this.#thanosParams()));
  }

  /** Values of label `name` on the series matching any of `matchers` (Prometheus serves this one on GET only). */
  labelValuesRaw(name: string, matchers: readonly string[], options: MetadataOptions = {}): Promise<RawAnswer<string[]>> {
    const path = `/api/v1/label/${encodeURIComponent(name)}/values`;
    return this.#call<string[]>('GET', path, metadataParams(matchers, options, this.#thanosParams()));
  }

  #thanosParams(): Record<string, string> {
    return this.#thanos ? { dedup: 'true', partial_response: 'true' } : {};
  }

  async #post<T>(path: string, params: URLSearchParams): Promise<T> {
    return (await this.#call<T>('POST', path, params)).data;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, params: URLSearchParams): Promise<RawAnswer<T>> {
    const fail = (message: string, detail: unknown, error: PrometheusError = new PrometheusError(message)): never => {
      this.#logger?.warn({ err: detail, path, query: params.get('query') }, `Prometheus: ${message}`);
      throw error;
    };
    let text: string;
    let status: number;
    try {
      // One signal for the whole call, body included: a trickling answer cannot hold us.
      const signal = AbortSignal.timeout(this.#timeoutMs);
      const res =
        method === 'POST'
          ? await fetch(`${this.#url}${path}`, { method: 'POST', body: params, headers: this.#headers, signal })
          : await fetch(`${this.#url}${path}?${params.toString()}`, { headers: this.#headers, signal });
      status = res.status;
      text = await readCapped(res, this.#maxBodyBytes);
    } catch (err) {
      if (err instanceof TooLarge) return fail(`Prometheus answered more than ${Math.round(this.#maxBodyBytes / 1024 / 1024)} MiB`, err);
      if ((err as Error).name === 'TimeoutError') return fail(`Prometheus did not answer within ${this.#timeoutMs / 1000} s`, err);
      return fail('Prometheus is unreachable', err);
    }
    let body: { status?: string; error?: unknown; errorType?: unknown; data?: T; warnings?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (err) {
      return fail(`Prometheus answered ${status} without JSON`, err);
    }
    if (status >= 200 && status < 300 && body.status === 'success' && body.data !== undefined && body.data !== null) {
      const warnings = Array.isArray(body.warnings) ? body.warnings.filter((w): w is string => typeof w === 'string') : [];
      return { data: body.data, warnings };
    }
    const error = typeof body.error === 'string' ? body.error : undefined;
    if ((status === 400 || status === 422) && (body.errorType === 'bad_data' || body.errorType === 'execution')) {
      return fail(
        `Prometheus refused the query (${status})`,
        error,
        new PrometheusQueryError(`Prometheus refused the query`, safeQueryError(error)),
      );
    }
    return fail(`Prometheus answered ${status}`, error ?? text.slice(0, 500));
  }
}

function metadataParams(matchers: readonly string[], options: MetadataOptions, extra: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams();
  for (const m of matchers) params.append('match[]', m);
  if (options.start !== undefined) params.set('start', String(options.start));
  if (options.end !== undefined) params.set('end', String(options.end));
  if (options.limit !== undefined) params.set('limit', String(options.limit));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params;
}
