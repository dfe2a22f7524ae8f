import { z } from 'zod/mini';

/**
 * The Loki-compatible routes under /api/loki/api/v1/… (Loki's own parameter names, so
 * Grafana's Loki data source and logcli can point at the BFF). Caps: a query of at most
 * 64 KB, at most 5,000 lines, a time range of at most 7 days.
 */
export const LOKI_MAX_QUERY_BYTES = 64 * 1024;
export const LOKI_MAX_LIMIT = 5000;
export const LOKI_MAX_RANGE_SECONDS = 7 * 24 * 3600;
/** Loki's own default look-back when no start is given (query_range: 1 h; labels and series: 6 h). */
export const LOKI_DEFAULT_LOOKBACK_SECONDS = 3600;
export const LOKI_MAX_MATCHERS = 20;

const NS_PER_SECOND = 1_000_000_000n;

/**
 * A Loki time parameter (unix seconds or nanoseconds as digits, float seconds, or
 * RFC 3339) as unix nanoseconds; undefined when it is none of those.
 */
export function parseLokiTime(value: string): bigint | undefined {
  if (/^\d{1,19}$/.test(value)) return value.length <= 10 ? BigInt(value) * NS_PER_SECOND : BigInt(value);
  if (/^\d{1,10}\.\d{1,9}$/.test(value)) {
    const [s, f] = value.split('.') as [string, string];
    return BigInt(s) * NS_PER_SECOND + BigInt(f.padEnd(9, '0'));
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n;
  }
  return undefined;
}

/** A Loki duration (`15s`, `1h30m`, or float seconds) in seconds; undefined when it is none. */
export function parseLokiDuration(value: string): number | undefined {
  if (/^\d{1,10}(\.\d{1,9})?$/.test(value)) return Number(value);
  if (!/^(\d{1,10}(ms|s|m|h|d|w|y))+$/.test(value)) return undefined;
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
  let total = 0;
  for (const m of value.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}

/** The [start, end) a request asks for, Loki's defaults applied, in unix nanoseconds. */
export function resolveLokiRange(
  q: { start?: string | undefined; end?: string | undefined },
  nowMs: number,
  lookbackSeconds = LOKI_DEFAULT_LOOKBACK_SECONDS,
): { start: bigint; end: bigint } {
  const end = q.end === undefined ? BigInt(nowMs) * 1_000_000n : (parseLokiTime(q.end) ?? 0n);
  const start = q.start === undefined ? end - BigInt(lookbackSeconds) * NS_PER_SECOND : (parseLokiTime(q.start) ?? 0n);
  return { start, end };
}

const byteLength = (s: string) => new TextEncoder().encode(s).length;
export const LogQLText = z.string().check(
  z.minLength(1),
  z.refine((s) => byteLength(s) <= LOKI_MAX_QUERY_BYTES, { message: `at most ${LOKI_MAX_QUERY_BYTES} bytes` }),
);
export const LokiTime = z
  .string()
  .check(z.refine((s) => parseLokiTime(s) !== undefined, { message: 'unix seconds, nanoseconds or RFC 3339' }));
const Duration = z.string().check(z.refine((s) => (parseLokiDuration(s) ?? 0) > 0, { message: 'a duration such as 15s or 1m' }));
const Limit = z.coerce.number().check(z.int(), z.gte(1), z.lte(LOKI_MAX_LIMIT));
export const LokiDirection = z.enum(['forward', 'backward']);

function rangeCheck<
  T extends { start?: string | undefined; end?: string | undefined } = { start?: string | undefined; end?: string | undefined },
>(lookbackSeconds: number) {
  return z.refine<T>(
    (q) => {
      if ((q.start !== undefined && parseLokiTime(q.start) === undefined) || (q.end !== undefined && parseLokiTime(q.end) === undefined))
        return true; // the field's own check reports it
      const { start, end } = resolveLokiRange(q, Date.now(), lookbackSeconds);
      return end >= start && end - start <= BigInt(LOKI_MAX_RANGE_SECONDS) * NS_PER_SECOND;
    },
    { message: 'the time range must end after it starts and span at most 7 days' },
  );
}

/** GET /api/loki/api/v1/query_range */
export const LokiQueryRangeQuery = z
  .strictObject({
    query: LogQLText,
    start: z.optional(LokiTime),
    end: z.optional(LokiTime),
    limit: z._default(Limit, 100),
    direction: z._default(LokiDirection, 'backward'),
    step: z.optional(Duration),
    interval: z.optional(Duration),
  })
  .check(rangeCheck(LOKI_DEFAULT_LOOKBACK_SECONDS));
export type LokiQueryRangeQuery = z.infer<typeof LokiQueryRangeQuery>;

/** GET /api/loki/api/v1/query (instant; metric queries). */
export const LokiInstantQuery = z.strictObject({
  query: LogQLText,
  time: z.optional(LokiTime),
  limit: z._default(Limit, 100),
  direction: z._default(LokiDirection, 'backward'),
});
export type LokiInstantQuery = z.infer<typeof LokiInstantQuery>;

/** Label and series lookups cover 6 h by default, as in Loki. */
export const LOKI_METADATA_LOOKBACK_SECONDS = 6 * 3600;

/** GET /api/loki/api/v1/labels and /label/:name/values: a stream selector is required here (Loki's is optional). */
export const LokiLabelsQuery = z
  .strictObject({ query: LogQLText, start: z.optional(LokiTime), end: z.optional(LokiTime) })
  .check(rangeCheck(LOKI_METADATA_LOOKBACK_SECONDS));
export type LokiLabelsQuery = z.infer<typeof LokiLabelsQuery>;

export const LokiLabelParams = z.strictObject({ name: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/)) });

/** GET /api/loki/api/v1/series?match[]=…: one or more stream selectors. */
export const LokiSeriesQuery = z
  .strictObject({
    'match[]': z.union([LogQLText, z.array(LogQLText).check(z.minLength(1), z.maxLength(LOKI_MAX_MATCHERS))]),
    start: z.optional(LokiTime),
    end: z.optional(LokiTime),
  })
  .check(rangeCheck(LOKI_METADATA_LOOKBACK_SECONDS));
export type LokiSeriesQuery = z.infer<typeof LokiSeriesQuery>;

/** Loki's answer envelopes, as the BFF passes them on. */
export type LokiStream = { stream: Record<string, string>; values: [string, string, ...unknown[]][] };
export type LokiMatrixSeries = { metric: Record<string, string>; values: [number, string][] };
export type LokiVectorSample = { metric: Record<string, string>; value: [number, string] };
export type LokiQueryData =
  | { resultType: 'streams'; result: LokiStream[] }
  | { resultType: 'matrix'; result: LokiMatrixSeries[] }
  | { resultType: 'vector'; result: LokiVectorSample[] }
  | { resultType: 'scalar'; result: [number, string] };

/** The Loki-compatible routes (Loki's paths under /api/loki); every other /api/loki path is 404. */
export const lokiApiPaths = {
  queryRange: '/api/loki/api/v1/query_range',
  query: '/api/loki/api/v1/query',
  labels: '/api/loki/api/v1/labels',
  labelValues: '/api/loki/api/v1/label/:name/values',
  series: '/api/loki/api/v1/series',
} as const;
