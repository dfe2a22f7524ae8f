import { z } from 'zod/mini';

import { Problem } from '../model/problem.ts';
import { LogQLText, LokiTime } from './loki.ts';

/**
 * The Logs page's own routes, beside the Loki-compatible ones (`lokiApiPaths`), which
 * the page also uses for queries, labels and volume.
 *
 * - `GET /api/logs/tail`: live tail as Server-Sent Events, one stream per query (the BFF
 *   relays Loki's tail websocket, the query enforced exactly as for query_range).
 * - `GET /api/logs/scope`: the part of every query the BFF enforces for this person,
 *   shown read-only beside the LogQL box.
 */
export const logsApiPaths = {
  tail: '/api/logs/tail',
  scope: '/api/logs/scope',
} as const;

/** Loki's tail: `delay_for` at most 5 s; we also cap the initial backfill. */
export const LOGS_TAIL_MAX_DELAY_SECONDS = 5;
export const LOGS_TAIL_MAX_LIMIT = 1000;
/** A tail asking for lines older than this is refused (Loki's own tail max look-back is 1 h). */
export const LOGS_TAIL_MAX_LOOKBACK_SECONDS = 3600;

/** GET /api/logs/tail */
export const LogsTailQuery = z.strictObject({
  /** A log query (not a metric query). */
  query: LogQLText,
  /** Where the initial backfill starts; default: Loki's (1 h back). */
  start: z.optional(LokiTime),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(LOGS_TAIL_MAX_LIMIT)), 100),
  delay_for: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(LOGS_TAIL_MAX_DELAY_SECONDS)), 0),
});
export type LogsTailQuery = z.infer<typeof LogsTailQuery>;

/** One Loki stream as the BFF passes it on: label set and [unix-ns string, line] entries. */
export const LogsStream = z.object({
  stream: z.record(z.string(), z.string()),
  values: z.array(z.tuple([z.string().check(z.regex(/^\d{1,20}$/)), z.string()])),
});
export type LogsStream = z.infer<typeof LogsStream>;

/**
 * The Server-Sent Events of GET /api/logs/tail, each event name with the schema of its
 * `data`:
 * - `lines`: new entries (only streams the person may read), oldest first within a stream;
 *   `dropped`: entries Loki reported it could not send (slow consumer), counted only.
 * - `ready`: the upstream tail is open (sent once, before or after the first `lines`).
 * - `error`: the tail failed or was cut by the BFF (cap reached, Loki gone); the stream
 *   ends after it. Problem JSON, safe to show.
 */
export const LogsTailLines = z.object({
  streams: z.array(LogsStream),
  dropped: z.number().check(z.int(), z.gte(0)),
});
export type LogsTailLines = z.infer<typeof LogsTailLines>;

export const logsTailEvents = {
  lines: LogsTailLines,
  ready: z.object({}),
  error: Problem,
} as const;
export type LogsTailEventName = keyof typeof logsTailEvents;

/** GET /api/logs/scope: what the BFF ANDs into every stream selector for this person. */
export const LogsScopeGroup = z.object({
  clusters: z.array(z.string()),
  /** `"*"`: every namespace (and streams without one). */
  namespaces: z.union([z.literal('*'), z.array(z.string())]),
  /** The matchers spliced into each selector, as LogQL text: `cluster=~"…", namespace=~"…"`. */
  matchers: z.string(),
});
export type LogsScopeGroup = z.infer<typeof LogsScopeGroup>;

export const LogsScope = z.object({
  /** Several groups: the query runs once per group (a person's namespaces differ per cluster). */
  groups: z.array(LogsScopeGroup),
  /** Every cluster and namespace: nothing is added beyond `cluster=~` of the known fleet. */
  unrestricted: z.boolean(),
});
export type LogsScope = z.infer<typeof LogsScope>;
