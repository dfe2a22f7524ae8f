import { z } from 'zod/mini';

import { HEALTH_RANGE_SECONDS, LOKI_MAX_QUERY_BYTES, LOKI_MAX_RANGE_SECONDS, type HealthRange } from '@fleetdeck/shared';

import { HealthSearch, customRangeProblem, viewFromSearch, type HealthView } from '../health/health-window.ts';
import { selectorOf } from './logql-text.ts';

/**
 * The Logs page's URL: `?query=…` (LogQL), the time window exactly as the health pages
 * keep it (`range=1h`, or `from=…&to=…`, so one range picker serves both), and `live=1`
 * while the live tail runs. Anything malformed falls back instead of breaking a link.
 */
export const LogsSearch = z.object({
  query: z.catch(z.optional(z.string().check(z.minLength(1), z.maxLength(LOKI_MAX_QUERY_BYTES))), undefined),
  range: HealthSearch.shape.range,
  from: HealthSearch.shape.from,
  to: HealthSearch.shape.to,
  // The router reads `live=1` as the number 1 (it parses values as JSON); a quoted "1" is accepted too.
  live: z.catch(z.optional(z.union([z.literal(1), z.literal('1')])), undefined),
});
export type LogsSearch = z.infer<typeof LogsSearch>;

/** Logs look at the recent past by default. */
export const DEFAULT_LOGS_RANGE: HealthRange = '1h';

/** The window a logs URL asks for: a valid custom range of at most Loki's 7 days, else the preset (1h by default). */
export function logsViewFromSearch(search: LogsSearch): HealthView {
  const custom =
    search.from !== undefined &&
    search.to !== undefined &&
    customRangeProblem(search.from, search.to) === undefined &&
    Date.parse(search.to) - Date.parse(search.from) <= LOKI_MAX_RANGE_SECONDS * 1000;
  return viewFromSearch({ range: search.range ?? DEFAULT_LOGS_RANGE, ...(custom && { from: search.from, to: search.to }) });
}

/** The window as unix milliseconds; a preset ends at `nowMs`. */
export function windowMs(view: HealthView, nowMs: number): { startMs: number; endMs: number } {
  if (view.kind === 'custom') return { startMs: Date.parse(view.from), endMs: Date.parse(view.to) };
  return { startMs: nowMs - HEALTH_RANGE_SECONDS[view.range] * 1000, endMs: nowMs };
}

/** Unix milliseconds as Loki's nanosecond digits. */
export const msToNs = (ms: number): string => (BigInt(Math.floor(ms)) * 1_000_000n).toString();

/** How far either side of an event an "Open logs" link looks. */
const AROUND_MS = 15 * 60_000;

/**
 * The search of an "Open logs" link: that cluster's (and namespace's) streams, around
 * `at` (±15 min, not past now) when the event has a time, else the last hour.
 */
export function openLogsSearch(
  target: { cluster: string; namespace?: string | undefined; at?: string | undefined },
  nowMs = Date.now(),
): LogsSearch {
  const query = selectorOf([
    ['cluster', target.cluster],
    ['namespace', target.namespace],
  ]);
  const at = target.at === undefined ? Number.NaN : Date.parse(target.at);
  if (!Number.isFinite(at)) return { query, range: DEFAULT_LOGS_RANGE };
  const to = Math.min(at + AROUND_MS, nowMs);
  return { query, from: new Date(Math.min(at - AROUND_MS, to - 60_000)).toISOString(), to: new Date(to).toISOString() };
}
