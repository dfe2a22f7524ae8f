/** One sample of an instant vector, as the Prometheus HTTP API returns it. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

/**
 * The Prometheus HTTP API (which Thanos Query serves too). Thanos-only parameters
 * (`dedup`, `partial_response`) are sent only when the upstream is Thanos.
 */
export class PrometheusClient {
  readonly #url: string;
  readonly #thanos: boolean;
  readonly #timeoutMs: number;

  constructor(options: { url: string; thanos: boolean; timeoutMs: number }) {
    this.#url = options.url.replace(/\/$/, '');
    this.#thanos = options.thanos;
    this.#timeoutMs = options.timeoutMs;
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
    const body = await this.#post<{ resultType?: string; result?: { metric: Record<string, string>; values: [number, string][] }[] }>(
      '/api/v1/query_range',
      params,
    );
    if (body.resultType !== 'matrix') throw new PrometheusError(`expected a matrix, got ${body.resultType}`);
    return body.result ?? [];
  }

  async #post<T>(path: string, params: URLSearchParams): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.#url}${path}`, { method: 'POST', body: params, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (err) {
      throw new PrometheusError(`Prometheus unreachable: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { status?: string; error?: string; data?: T };
    if (!res.ok || body.status !== 'success' || !body.data)
      throw new PrometheusError(`Prometheus answered ${res.status}: ${body.error ?? 'no error text'}`);
    return body.data;
  }

  async instant(query: string, time?: Date): Promise<VectorSample[]> {
    const params = new URLSearchParams({
      query,
      ...(time && { time: String(time.getTime() / 1000) }),
      ...(this.#thanos && { dedup: 'true', partial_response: 'true' }),
    });
    let res: Response;
    try {
      res = await fetch(`${this.#url}/api/v1/query`, { method: 'POST', body: params, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (err) {
      throw new PrometheusError(`Prometheus unreachable: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as {
      status?: string;
      error?: string;
      data?: { resultType?: string; result?: VectorSample[] };
    };
    if (!res.ok || body.status !== 'success')
      throw new PrometheusError(`Prometheus answered ${res.status}: ${body.error ?? 'no error text'}`);
    if (body.data?.resultType !== 'vector') throw new PrometheusError(`expected a vector, got ${body.data?.resultType}`);
    return body.data.result ?? [];
  }
}
