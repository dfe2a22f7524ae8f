import { parseLokiDuration } from '../api/loki.ts';
import type { LabelMatcher, Labels, Query } from './ast.ts';
import { LogQLError } from './errors.ts';
import { evaluateMetric, type Value } from './metric.ts';
import { parseLogQL } from './parse.ts';
import { selectLogs, type StreamResult } from './select.ts';
import { Tally, type LokiStats } from './stats.ts';
import { streamMatches, type Direction, type LogStore, type StoredStream } from './store.ts';

/**
 * Loki's answers, as its HTTP API documents them: `streams` (values `[ns string, line]`,
 * newest first unless `direction=forward`), `matrix` (values `[seconds, "value"]`, oldest
 * first), `vector`, `scalar`, each with a `stats` object.
 */
export type MatrixResult = { metric: Record<string, string>; values: [number, string][] };
export type VectorResult = { metric: Record<string, string>; value: [number, string] };
export type QueryResultData = (
  | { resultType: 'streams'; result: StreamResult[] }
  | { resultType: 'matrix'; result: MatrixResult[] }
  | { resultType: 'vector'; result: VectorResult[] }
  | { resultType: 'scalar'; result: [number, string] }
) & { stats: LokiStats };

/** Loki refuses range queries with more points than this. */
export const MAX_POINTS = 11_000;
/** Lines one query may read before it is refused (a runaway query must not stall its caller). */
export const DEFAULT_READ_BUDGET = 2_000_000;

export interface EvalOptions {
  /** Lines one query may read; default DEFAULT_READ_BUDGET. */
  readBudget?: number;
}

const NS_PER_SECOND = 1_000_000_000n;
const seconds = (ns: bigint) => Number(ns / 1_000_000n) / 1000;

/** Prometheus/Loki number text: `+Inf`, `-Inf`, `NaN`, else the shortest round-trip form. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** A line counter for one query, refusing it past the read budget. */
export function newTally(opts: EvalOptions = {}): Tally {
  const budget = opts.readBudget ?? DEFAULT_READ_BUDGET;
  return new Tally(budget, () => {
    throw new LogQLError(`the query would read more than ${budget} lines; narrow the time range or the stream selector`);
  });
}

/** Loki's default step: the range over 250 points, at least 1 s. */
export function stepNs(step: string | undefined, start: bigint, end: bigint): bigint {
  if (step === undefined || step === '') {
    const s = (end - start) / NS_PER_SECOND / 250n;
    return (s < 1n ? 1n : s) * NS_PER_SECOND;
  }
  const secs = parseLokiDuration(step);
  if (secs === undefined || secs <= 0) throw new LogQLError(`invalid step ${JSON.stringify(step)}`);
  return BigInt(Math.round(secs * 1e6)) * 1000n;
}

function parsed(query: string | Query): Query {
  return typeof query === 'string' ? parseLogQL(query) : query;
}

/** `/loki/api/v1/query_range`. */
export function evaluateRange(
  store: LogStore,
  p: { query: string | Query; start: bigint; end: bigint; limit: number; direction: Direction; step?: string | undefined },
  opts: EvalOptions = {},
): QueryResultData {
  const began = performance.now();
  const q = parsed(p.query);
  const t = newTally(opts);
  if (q.kind === 'log') {
    const { streams, returned } = selectLogs(q, store, p, t);
    return { resultType: 'streams', result: streams, stats: t.stats(returned, (performance.now() - began) / 1000) };
  }
  const step = stepNs(p.step, p.start, p.end);
  if (p.end < p.start) throw new LogQLError('the end of the range is before its start');
  if ((p.end - p.start) / step + 1n > BigInt(MAX_POINTS))
    throw new LogQLError(`exceeded maximum resolution of ${MAX_POINTS} points per series; raise the step or shorten the range`);
  const times: bigint[] = [];
  for (let x = p.start; x <= p.end; x += step) times.push(x);
  const value = evaluateMetric(q.expr, store, times, t);
  const result = toMatrix(value, times);
  return { resultType: 'matrix', result, stats: t.stats(0, (performance.now() - began) / 1000) };
}

function toMatrix(value: Value, times: readonly bigint[]): MatrixResult[] {
  if (value.kind === 'scalar') return [{ metric: {}, values: times.map((x) => [seconds(x), formatValue(value.value)]) }];
  return [...value.series.values()].map((s) => ({
    metric: { ...s.metric },
    values: s.values.flatMap((v, i): [number, string][] => (v === undefined ? [] : [[seconds(times[i]!), formatValue(v)]])),
  }));
}

/** `/loki/api/v1/query` (metric queries; Loki refuses log queries here). */
export function evaluateInstant(store: LogStore, p: { query: string | Query; time: bigint }, opts: EvalOptions = {}): QueryResultData {
  const began = performance.now();
  const q = parsed(p.query);
  if (q.kind === 'log')
    throw new LogQLError('log queries are not supported as an instant query type, please change your query to a range query type');
  const t = newTally(opts);
  const value = evaluateMetric(q.expr, store, [p.time], t);
  const stats = t.stats(0, (performance.now() - began) / 1000);
  if (value.kind === 'scalar') return { resultType: 'scalar', result: [seconds(p.time), formatValue(value.value)], stats };
  const result = [...value.series.values()]
    .filter((s) => s.values[0] !== undefined)
    .map((s) => ({ metric: { ...s.metric }, value: [seconds(p.time), formatValue(s.values[0]!)] as [number, string] }));
  return { resultType: 'vector', result, stats };
}

/** A stream selector alone (labels, label values, series): a log query without pipeline. */
export function parseSelector(selector: string): readonly LabelMatcher[] {
  const q = parseLogQL(selector);
  if (q.kind !== 'log' || q.stages.length > 0) throw new LogQLError('only stream selectors are allowed here');
  return q.matchers;
}

function hasEntries(s: StoredStream, span: { start: bigint; end: bigint }): boolean {
  if (s.count) return s.count(span.start, span.end) > 0;
  return !s.entries(span.start, span.end, 'forward')[Symbol.iterator]().next().done;
}

/** Label sets of streams with entries in [start, end) matching any of the selectors (none: every stream). */
export function matchingLabelSets(store: LogStore, selectors: readonly string[], span: { start: bigint; end: bigint }): Labels[] {
  const parsedSelectors = selectors.map(parseSelector);
  const seen = new Set<string>();
  const out: Labels[] = [];
  const sources = parsedSelectors.length === 0 ? [[] as readonly LabelMatcher[]] : parsedSelectors;
  for (const matchers of sources)
    for (const s of store.streams(matchers)) {
      if (!streamMatches(matchers, s.labels) || !hasEntries(s, span)) continue;
      const key = JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(s.labels);
    }
  return out;
}

/** `/loki/api/v1/labels`: sorted label names. */
export function labelNames(store: LogStore, selector: string | undefined, span: { start: bigint; end: bigint }): string[] {
  const sets = matchingLabelSets(store, selector ? [selector] : [], span);
  return [...new Set(sets.flatMap((l) => Object.keys(l)))].sort();
}

/** `/loki/api/v1/label/<name>/values`: sorted values. */
export function labelValues(store: LogStore, name: string, selector: string | undefined, span: { start: bigint; end: bigint }): string[] {
  const sets = matchingLabelSets(store, selector ? [selector] : [], span);
  return [...new Set(sets.map((l) => l[name]).filter((v): v is string => v !== undefined))].sort();
}
