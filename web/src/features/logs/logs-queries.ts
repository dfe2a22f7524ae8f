import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import { LogsScope, apiUrl, logsApiPaths, lokiApiPaths } from '@fleetdeck/shared';

import { getJson } from '../../api/client.ts';
import type { HealthView } from '../health/health-window.ts';
import { compareNs, entriesOf, type LogEntry } from './log-entries.ts';
import { normaliseLevel, type LogLevel } from './log-level.ts';
import { streamSelector, volumeQuery, volumeStepSeconds } from './logql-text.ts';
import { LokiMatrixAnswer, LokiStreamsAnswer, LokiValuesAnswer } from './loki-answers.ts';
import { msToNs, windowMs } from './logs-search.ts';

/** Lines one query shows at most (the BFF's cap is 5,000): the newest of the window. */
export const LINES_LIMIT = 1000;
/** Lines shown either side of an opened line. */
export const CONTEXT_LINES = 10;
const CONTEXT_SPAN_MS = 3600_000;

/** Every logs query key, built here and nowhere else. */
export const logsKeys = {
  all: () => ['logs'] as const,
  scope: () => ['logs', 'scope'] as const,
  labelValues: (name: string, selector: string, view: HealthView) => ['logs', 'label-values', name, selector, view] as const,
  lines: (query: string, view: HealthView) => ['logs', 'lines', query, view] as const,
  volume: (query: string, view: HealthView) => ['logs', 'volume', query, view] as const,
  context: (selector: string, ns: string) => ['logs', 'context', selector, ns] as const,
};

/** What the BFF ANDs into every selector for this person (changes only with their groups). */
export const logsScopeQuery = () =>
  queryOptions({
    queryKey: logsKeys.scope(),
    queryFn: ({ signal }) => getJson(logsApiPaths.scope, LogsScope, signal),
    staleTime: 60_000,
  });

/** One label's values among the streams `selector` matches (a selector is required by the BFF). */
export const labelValuesQuery = (name: string, selector: string, view: HealthView) =>
  queryOptions({
    queryKey: logsKeys.labelValues(name, selector, view),
    queryFn: async ({ signal }) => {
      const { startMs, endMs } = windowMs(view, Date.now());
      const url = apiUrl(lokiApiPaths.labelValues, { name }, { query: selector, start: msToNs(startMs), end: msToNs(endMs) });
      return (await getJson(url, LokiValuesAnswer, signal)).data.toSorted();
    },
    staleTime: 60_000,
  });

export interface LinesAnswer {
  /** Oldest first. */
  entries: LogEntry[];
  startMs: number;
  endMs: number;
  /** The limit was reached: older lines of the window are not shown. */
  truncated: boolean;
}

/** The newest lines of the window (the window's "now" is taken when it is fetched). */
export const logLinesQuery = (query: string, view: HealthView) =>
  queryOptions({
    queryKey: logsKeys.lines(query, view),
    queryFn: async ({ signal }): Promise<LinesAnswer> => {
      const { startMs, endMs } = windowMs(view, Date.now());
      const url = apiUrl(
        lokiApiPaths.queryRange,
        {},
        { query, start: msToNs(startMs), end: msToNs(endMs), limit: LINES_LIMIT, direction: 'backward' },
      );
      const answer = await getJson(url, LokiStreamsAnswer, signal);
      const entries = entriesOf(answer.data.result);
      return { entries, startMs, endMs, truncated: entries.length >= LINES_LIMIT };
    },
    // Lines are not polled: the live tail is how a person follows new ones.
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

export interface VolumeAnswer {
  /** One row per bucket: its start (unix seconds) and a count per level. */
  rows: ({ t: number } & Partial<Record<LogLevel, number>>)[];
  levels: LogLevel[];
  stepSeconds: number;
  startMs: number;
  endMs: number;
}

/** Loki matrix series by `level` as chart rows; a series without a (known) level counts as "no level". */
export function volumeRows(result: LokiMatrixAnswer['data']['result']): Pick<VolumeAnswer, 'rows' | 'levels'> {
  const byTime = new Map<number, { t: number } & Partial<Record<LogLevel, number>>>();
  const levels = new Set<LogLevel>();
  for (const s of result) {
    const level = normaliseLevel(s.metric.level) ?? 'unknown';
    levels.add(level);
    for (const [t, v] of s.values) {
      let row = byTime.get(t);
      if (!row) byTime.set(t, (row = { t }));
      row[level] = (row[level] ?? 0) + Number(v);
    }
  }
  return { rows: [...byTime.values()].sort((a, b) => a.t - b.t), levels: [...levels] };
}

/** Lines per level per bucket over the window. */
export const logVolumeQuery = (query: string, view: HealthView) =>
  queryOptions({
    queryKey: logsKeys.volume(query, view),
    queryFn: async ({ signal }): Promise<VolumeAnswer> => {
      const { startMs, endMs } = windowMs(view, Date.now());
      const stepSeconds = volumeStepSeconds((endMs - startMs) / 1000);
      const url = apiUrl(
        lokiApiPaths.queryRange,
        {},
        { query: volumeQuery(query, `${stepSeconds}s`), start: msToNs(startMs), end: msToNs(endMs), step: `${stepSeconds}s` },
      );
      const answer = await getJson(url, LokiMatrixAnswer, signal);
      return { ...volumeRows(answer.data.result), stepSeconds, startMs, endMs };
    },
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

/** Lines of the same stream just before and after one line (that line itself excluded). */
export const contextQuery = (entry: LogEntry) => {
  const selector = streamSelector(entry.labels);
  return queryOptions({
    queryKey: logsKeys.context(selector, entry.ns),
    queryFn: async ({ signal }) => {
      const side = async (direction: 'backward' | 'forward') => {
        const [startMs, endMs] =
          direction === 'backward' ? [entry.ms - CONTEXT_SPAN_MS, entry.ms + 1] : [entry.ms, entry.ms + CONTEXT_SPAN_MS];
        const url = apiUrl(
          lokiApiPaths.queryRange,
          {},
          { query: selector, start: msToNs(startMs), end: msToNs(endMs), limit: CONTEXT_LINES + 5, direction },
        );
        return entriesOf((await getJson(url, LokiStreamsAnswer, signal)).data.result);
      };
      const [before, after] = await Promise.all([side('backward'), side('forward')]);
      const self = (e: LogEntry) => e.ns === entry.ns && e.line === entry.line;
      return {
        before: before.filter((e) => compareNs(e.ns, entry.ns) <= 0 && !self(e)).slice(-CONTEXT_LINES),
        after: after.filter((e) => compareNs(e.ns, entry.ns) >= 0 && !self(e)).slice(0, CONTEXT_LINES),
      };
    },
    staleTime: Infinity,
  });
};
