import type { Labels, MetricExpr } from './ast.ts';
import { LogQLError } from './errors.ts';
import { ERROR_DETAILS_LABEL, ERROR_LABEL } from './parsers.ts';
import { labelsKey, runPipeline } from './pipeline.ts';
import { utf8Bytes, type Tally } from './stats.ts';
import { streamMatches, type LogStore } from './store.ts';

/** A series' value at each evaluation time (undefined: no sample there). */
export interface Series {
  metric: Labels;
  values: (number | undefined)[];
}
export type Value = { kind: 'vector'; series: Map<string, Series> } | { kind: 'scalar'; value: number };

/** Evaluates a metric expression at each of `times` (unix ns, ascending). */
export function evaluateMetric(expr: MetricExpr, store: LogStore, times: readonly bigint[], tally: Tally): Value {
  switch (expr.kind) {
    case 'scalar':
      return { kind: 'scalar', value: expr.value };
    case 'range':
      return { kind: 'vector', series: rangeAggregation(expr, store, times, tally) };
    case 'aggregate': {
      const inner = evaluateMetric(expr.inner, store, times, tally);
      if (inner.kind !== 'vector') throw new LogQLError(`${expr.op} needs a vector, not a number`);
      return { kind: 'vector', series: aggregate(expr, inner.series, times.length) };
    }
    case 'binary':
      return binary(expr.op, evaluateMetric(expr.left, store, times, tally), evaluateMetric(expr.right, store, times, tally), times.length);
  }
}

function rangeAggregation(
  expr: Extract<MetricExpr, { kind: 'range' }>,
  store: LogStore,
  times: readonly bigint[],
  tally: Tally,
): Map<string, Series> {
  const out = new Map<string, Series>();
  if (times.length === 0) return out;
  const { log, rangeNs, fn } = expr;
  const rangeSeconds = Number(rangeNs) / 1e9;
  const bytes = fn === 'bytes_over_time' || fn === 'bytes_rate';
  const perSecond = fn === 'rate' || fn === 'bytes_rate';
  // A window is (t - range, t]; entries are read once for the union of all windows.
  const from = times[0]! - rangeNs + 1n;
  const to = times.at(-1)! + 1n;
  const collected = new Map<string, { metric: Labels; ts: bigint[]; weights: number[] }>();
  for (const s of store.streams(log.matchers)) {
    if (!streamMatches(log.matchers, s.labels)) continue;
    if (log.stages.length === 0 && !bytes && s.count) {
      // No pipeline and counting only: the store can count without producing lines.
      const count = s.count.bind(s);
      tally.counted(count(from, to));
      const values = times.map((t) => {
        const n = count(t - rangeNs + 1n, t + 1n);
        return n === 0 ? undefined : perSecond ? n / rangeSeconds : n;
      });
      if (values.some((v) => v !== undefined)) out.set(labelsKey(s.labels), { metric: s.labels, values });
      continue;
    }
    for (const [ts, line] of s.entries(from, to, 'forward')) {
      tally.read(line);
      const p = runPipeline(log, s.labels, line);
      if (!p) continue;
      tally.postFilter++;
      const err = p.labels[ERROR_LABEL];
      if (err !== undefined && err !== '')
        throw new LogQLError(
          `pipeline error: '${err}' for series ${labelsKey(withoutDetails(p.labels))}: ${p.labels[ERROR_DETAILS_LABEL] ?? ''}. Use a label filter to intentionally skip this error (e.g. | __error__="").`,
        );
      const key = labelsKey(p.labels);
      let c = collected.get(key);
      if (!c) collected.set(key, (c = { metric: { ...p.labels }, ts: [], weights: [] }));
      c.ts.push(ts);
      c.weights.push(bytes ? utf8Bytes(p.line) : 1);
    }
  }
  for (const [key, c] of collected) {
    // Entries come in time order per stream, but several streams may share a key.
    const order = c.ts.map((_, i) => i).sort((a, b) => (c.ts[a]! < c.ts[b]! ? -1 : c.ts[a]! > c.ts[b]! ? 1 : 0));
    const ts = order.map((i) => c.ts[i]!);
    const prefix = [0];
    for (const i of order) prefix.push(prefix.at(-1)! + c.weights[i]!);
    const values = times.map((t) => {
      const hi = upperBound(ts, t);
      const lo = upperBound(ts, t - rangeNs);
      if (hi === lo) return undefined;
      const sum = prefix[hi]! - prefix[lo]!;
      return perSecond ? sum / rangeSeconds : sum;
    });
    if (values.some((v) => v !== undefined)) out.set(key, { metric: c.metric, values });
  }
  return out;
}

function withoutDetails(labels: Labels): Labels {
  const { [ERROR_DETAILS_LABEL]: _details, ...rest } = labels;
  return rest;
}

/** How many of `sorted` are <= t. */
function upperBound(sorted: readonly bigint[], t: bigint): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function aggregate(expr: Extract<MetricExpr, { kind: 'aggregate' }>, input: Map<string, Series>, n: number): Map<string, Series> {
  const groups = new Map<string, { metric: Labels; members: Series[] }>();
  for (const s of input.values()) {
    let metric: Record<string, string>;
    if (!expr.grouping) metric = {};
    else if (expr.grouping.mode === 'by')
      metric = Object.fromEntries(expr.grouping.labels.filter((l) => s.metric[l] !== undefined).map((l) => [l, s.metric[l]!]));
    else {
      const drop = new Set(expr.grouping.labels);
      metric = Object.fromEntries(Object.entries(s.metric).filter(([k]) => !drop.has(k)));
    }
    const key = labelsKey(metric);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { metric, members: [] }));
    g.members.push(s);
  }
  const out = new Map<string, Series>();
  for (const [key, g] of groups) {
    const values = Array.from({ length: n }, (_, i) => {
      const present = g.members.map((m) => m.values[i]).filter((v): v is number => v !== undefined);
      if (present.length === 0) return undefined;
      switch (expr.op) {
        case 'sum':
          return present.reduce((a, b) => a + b, 0);
        case 'count':
          return present.length;
        case 'avg':
          return present.reduce((a, b) => a + b, 0) / present.length;
        case 'min':
          return Math.min(...present);
        case 'max':
          return Math.max(...present);
      }
    });
    out.set(key, { metric: g.metric, values });
  }
  return out;
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

/** Set operators match series by their whole label set; arithmetic too (no on/ignoring). */
function binary(op: string, left: Value, right: Value, n: number): Value {
  const f = ARITHMETIC[op];
  if (left.kind === 'scalar' && right.kind === 'scalar') {
    if (!f) throw new LogQLError(`"${op}" needs vectors on both sides`);
    return { kind: 'scalar', value: f(left.value, right.value) };
  }
  if (!f) {
    if (left.kind !== 'vector' || right.kind !== 'vector') throw new LogQLError(`"${op}" needs vectors on both sides`);
    const out = new Map<string, Series>();
    const keys = new Set([...left.series.keys(), ...(op === 'or' ? right.series.keys() : [])]);
    for (const key of keys) {
      const l = left.series.get(key);
      const r = right.series.get(key);
      const values = Array.from({ length: n }, (_, i) => {
        const lv = l?.values[i];
        const rv = r?.values[i];
        if (op === 'or') return lv ?? rv;
        if (op === 'and') return rv === undefined ? undefined : lv;
        return rv === undefined ? lv : undefined; // unless
      });
      if (values.some((v) => v !== undefined)) out.set(key, { metric: (l ?? r)!.metric, values });
    }
    return { kind: 'vector', series: out };
  }
  const out = new Map<string, Series>();
  const vector = left.kind === 'vector' ? left : (right as Extract<Value, { kind: 'vector' }>);
  for (const [key, s] of vector.series) {
    const other = left.kind === 'vector' && right.kind === 'vector' ? right.series.get(key) : undefined;
    if (left.kind === 'vector' && right.kind === 'vector' && !other) continue;
    const values = s.values.map((v, i) => {
      if (v === undefined) return undefined;
      if (left.kind === 'scalar') return f(left.value, v);
      if (right.kind === 'scalar') return f(v, right.value);
      const o = other!.values[i];
      return o === undefined ? undefined : f(v, o);
    });
    if (values.some((v) => v !== undefined)) out.set(key, { metric: s.metric, values });
  }
  return { kind: 'vector', series: out };
}
