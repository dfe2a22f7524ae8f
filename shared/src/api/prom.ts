import { z } from 'zod/mini';

/**
 * The tenant-safe, Prometheus-compatible API (`/api/prom/api/v1/…`): the same parameters and
 * answers as Prometheus' own HTTP API, limited to what the caller may see. Only these five
 * endpoints exist; every other `/api/prom/**` path is 404.
 */
export const promApiPaths = {
  query: '/api/prom/api/v1/query',
  queryRange: '/api/prom/api/v1/query_range',
  series: '/api/prom/api/v1/series',
  labels: '/api/prom/api/v1/labels',
  labelValues: '/api/prom/api/v1/label/:name/values',
} as const;

/** Longest PromQL query accepted (characters). */
export const PROM_MAX_QUERY_CHARS = 64 * 1024;
/** Longest single `match[]` selector, and most `match[]` per request. */
export const PROM_MAX_MATCHER_CHARS = 16 * 1024;
export const PROM_MAX_MATCHERS = 20;
/** Prometheus' own limit on points per series of a range query. */
export const PROM_MAX_POINTS = 11_000;
/** Largest `limit` of the series and label APIs. */
export const PROM_MAX_LIMIT = 100_000;

const UNIX = /^-?\d{1,12}(\.\d{1,9})?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Seconds since the epoch, from RFC 3339 or unix seconds (as Prometheus takes them); undefined when neither. */
export function parsePromTime(text: string): number | undefined {
  if (UNIX.test(text)) return Number(text);
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text.replace(' ', 'T'));
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse keeps milliseconds only; the fraction below them is dropped.
  return ms / 1000;
}

const DURATION = /^(?:\d{1,9}y)?(?:\d{1,9}w)?(?:\d{1,9}d)?(?:\d{1,9}h)?(?:\d{1,9}m)?(?:\d{1,9}s)?(?:\d{1,9}ms)?$/;
const UNITS: Record<string, number> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

/** Seconds, from a Prometheus duration (`1h30m`, `15s`) or a number of seconds (`15`, `0.5`); undefined when neither. */
export function parsePromDuration(text: string): number | undefined {
  if (/^\d{1,12}(\.\d{1,9})?$/.test(text)) return Number(text);
  if (text === '' || !DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|[ywdhms])/g)) seconds += Number(n) * UNITS[unit!]!;
  return seconds;
}

const PromQuery = z
  .string({ error: 'query must be given once, as text' })
  .check(z.minLength(1, 'query is empty'), z.maxLength(PROM_MAX_QUERY_CHARS, `query is longer than ${PROM_MAX_QUERY_CHARS} characters`));

/** A time: RFC 3339 (`2026-01-02T03:04:05Z`) or unix seconds (`1767323045.5`); parsed to unix seconds. */
export const PromTime = z.pipe(
  z.string().check(
    z.maxLength(40, 'time is too long'),
    z.refine((t) => parsePromTime(t) !== undefined, 'expected an RFC 3339 time or unix seconds'),
  ),
  z.transform((t) => parsePromTime(t)!),
);

/** A resolution step: a duration (`30s`, `1m`) or seconds; parsed to seconds, > 0. */
export const PromStep = z.pipe(
  z.string().check(
    z.maxLength(40, 'step is too long'),
    z.refine((t) => (parsePromDuration(t) ?? 0) > 0, 'expected a positive duration (30s, 1m) or number of seconds'),
  ),
  z.transform((t) => parsePromDuration(t)!),
);

const PromLimit = z.pipe(
  z.string().check(
    z.regex(/^\d{1,9}$/, 'limit must be a whole number'),
    z.refine((t) => Number(t) <= PROM_MAX_LIMIT, `limit is at most ${PROM_MAX_LIMIT}`),
  ),
  z.transform((t) => Number(t)),
);

const Matcher = z
  .string()
  .check(
    z.minLength(1, 'match[] is empty'),
    z.maxLength(PROM_MAX_MATCHER_CHARS, `match[] is longer than ${PROM_MAX_MATCHER_CHARS} characters`),
  );

/**
 * `match[]`, repeated: the 'simple' query parser (and the form parser) give one string for
 * one occurrence and an array for several. Both are accepted here, and nothing else (an
 * object from `match[x]=` is refused). Normalised to an array of at most 20.
 */
export const PromMatchers = z.pipe(
  z.union([Matcher, z.array(Matcher).check(z.maxLength(PROM_MAX_MATCHERS, `at most ${PROM_MAX_MATCHERS} match[] per request`))], {
    error: 'match[] must be series selectors, each at most 16 KiB, at most 20 of them',
  }),
  z.transform((m): string[] => (typeof m === 'string' ? [m] : m)),
);

const isNum = (...values: unknown[]) => values.every((v) => typeof v === 'number' && Number.isFinite(v));

/** GET|POST /api/prom/api/v1/query */
export const PromInstantQuery = z.strictObject({ query: PromQuery, time: z.optional(PromTime) });
export type PromInstantQuery = z.infer<typeof PromInstantQuery>;

/** GET|POST /api/prom/api/v1/query_range: at most 11,000 points per series, as Prometheus allows. */
export const PromRangeQuery = z.strictObject({ query: PromQuery, start: PromTime, end: PromTime, step: PromStep }).check(
  // Field errors are reported on their own; these two judge only well-formed values.
  z.refine((q) => !isNum(q.start, q.end) || q.end >= q.start, { message: 'end is before start', path: ['end'] }),
  z.refine((q) => !isNum(q.start, q.end, q.step) || q.end < q.start || Math.floor((q.end - q.start) / q.step) + 1 <= PROM_MAX_POINTS, {
    message: `the range would give more than ${PROM_MAX_POINTS.toLocaleString('en')} points per series; use a larger step or a shorter range`,
    path: ['step'],
  }),
);
export type PromRangeQuery = z.infer<typeof PromRangeQuery>;

/** GET|POST /api/prom/api/v1/series: `match[]` is required, as in Prometheus. */
export const PromSeriesQuery = z.strictObject({
  'match[]': PromMatchers,
  start: z.optional(PromTime),
  end: z.optional(PromTime),
  limit: z.optional(PromLimit),
});
export type PromSeriesQuery = z.infer<typeof PromSeriesQuery>;

/** GET|POST /api/prom/api/v1/labels and /label/:name/values: without `match[]`, every series the caller may see. */
export const PromLabelsQuery = z.strictObject({
  'match[]': z.optional(PromMatchers),
  start: z.optional(PromTime),
  end: z.optional(PromTime),
  limit: z.optional(PromLimit),
});
export type PromLabelsQuery = z.infer<typeof PromLabelsQuery>;

/** A label name (`:name` of the label-values API): the classic Prometheus form. */
export const PromLabelParams = z.strictObject({
  name: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'not a label name')),
});
export type PromLabelParams = z.infer<typeof PromLabelParams>;

/** The raw parameters of a form POST, before the endpoint's own schema: strings, or arrays of them for repeats. */
export const PromRawParams = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type PromRawParams = z.infer<typeof PromRawParams>;
