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
