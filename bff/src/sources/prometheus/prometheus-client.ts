import type { Logger } from '../../lib/logger.ts';

/** One sample of an instant vector, as the Prometheus HTTP API returns it. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** `message` is safe to show on a panel; the upstream's own words and addresses go to the log. */
export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

export interface PrometheusOptions {
  url: string;
  thanos: boolean;
  /** The whole call, request to last byte. */
  timeoutMs: number;
  /** Bigger answers are refused (a runaway query must not fill our memory). */
  maxBodyBytes?: number;
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
  readonly #logger: Logger | undefined;

  constructor(options: PrometheusOptions) {
    this.#url = options.url.replace(/\/$/, '');
    this.#thanos = options.thanos;
    this.#timeoutMs = options.timeoutMs;
    this.#maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
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

  async #post<T>(path: string, params: URLSearchParams): Promise<T> {
    const fail = (message: string, detail: unknown): never => {
      this.#logger?.warn({ err: detail, path, query: params.get('query') }, `Prometheus: ${message}`);
      throw new PrometheusError(message);
    };
    let text: string;
    let status: number;
    try {
      // One signal for the whole call, body included: a trickling answer cannot hold us.
      const res = await fetch(`${this.#url}${path}`, { method: 'POST', body: params, signal: AbortSignal.timeout(this.#timeoutMs) });
      status = res.status;
      text = await readCapped(res, this.#maxBodyBytes);
    } catch (err) {
      if (err instanceof TooLarge) return fail(`Prometheus answered more than ${Math.round(this.#maxBodyBytes / 1024 / 1024)} MiB`, err);
      if ((err as Error).name === 'TimeoutError') return fail(`Prometheus did not answer within ${this.#timeoutMs / 1000} s`, err);
      return fail('Prometheus is unreachable', err);
    }
    let body: { status?: string; error?: string; data?: T };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (err) {
      return fail(`Prometheus answered ${status} without JSON`, err);
    }
    if (status >= 200 && status < 300 && body.status === 'success' && body.data) return body.data;
    return fail(`Prometheus answered ${status}`, body.error ?? text.slice(0, 500));
  }
}

class TooLarge extends Error {}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.cancel();
    throw new TooLarge();
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
