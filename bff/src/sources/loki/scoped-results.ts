import { compileGlob, type GlobMatcher, type LokiQueryData, type LokiStream } from '@fleetdeck/shared';

import { CLUSTER_LABEL, NAMESPACE_LABEL, type LogAccess, type LogAccessGroup } from '../../access/logql/index.ts';

/**
 * Defence in depth for Loki answers (ARCHITECTURE §4 item 7): the queries were already
 * limited by the LogQL enforcer; what comes back is checked against the person's log
 * access once more, so a mistake in enforcement, or a pipeline that relabels streams,
 * cannot show a line or label of a cluster or namespace outside their scope.
 */
export class ScopeFilter {
  readonly #byCluster = new Map<string, LogAccessGroup>();
  readonly #globs = new Map<LogAccessGroup, GlobMatcher[]>();
  readonly #groups: readonly LogAccessGroup[];

  constructor(access: LogAccess) {
    this.#groups = access.groups;
    for (const g of access.groups) {
      for (const c of g.clusters) this.#byCluster.set(c, g);
      if (g.namespaces !== '*')
        this.#globs.set(
          g,
          g.namespaces.map((glob) => {
            try {
              return compileGlob(glob);
            } catch {
              return () => false;
            }
          }),
        );
    }
  }

  #namespaceAllowed(group: LogAccessGroup, namespace: string): boolean {
    return group.namespaces === '*' || this.#globs.get(group)!.some((m) => m(namespace));
  }

  /**
   * Whether a label set may be shown. `strict` (log streams, series): it must name a
   * granted cluster and, where namespaces are limited, a granted namespace. Otherwise
   * (metric series, which aggregations may strip of labels): the labels it does carry
   * must be granted.
   */
  allows(labels: Readonly<Record<string, string>>, strict: boolean): boolean {
    const cluster = labels[CLUSTER_LABEL];
    const namespace = labels[NAMESPACE_LABEL];
    if (cluster === undefined) {
      if (strict) return false;
      return namespace === undefined || this.#groups.some((g) => this.#namespaceAllowed(g, namespace));
    }
    const group = this.#byCluster.get(cluster);
    if (!group) return false;
    if (namespace === undefined) return !strict || group.namespaces === '*';
    return this.#namespaceAllowed(group, namespace);
  }

  /** Values of `name` from a label-values lookup: `cluster` and `namespace` values outside the access are dropped. */
  labelValues(name: string, values: readonly string[]): string[] {
    if (name === CLUSTER_LABEL) return values.filter((v) => this.#byCluster.has(v));
    if (name === NAMESPACE_LABEL) return values.filter((v) => this.#groups.some((g) => this.#namespaceAllowed(g, v)));
    return [...values];
  }

  queryData(data: LokiQueryData): LokiQueryData {
    switch (data.resultType) {
      case 'streams':
        return { resultType: 'streams', result: data.result.filter((s) => this.allows(s.stream, true)) };
      case 'matrix':
        return { resultType: 'matrix', result: data.result.filter((s) => this.allows(s.metric, false)) };
      case 'vector':
        return { resultType: 'vector', result: data.result.filter((s) => this.allows(s.metric, false)) };
      case 'scalar':
        return data;
    }
  }
}

/**
 * The filter of a one-group access, built once per group object: a group never changes,
 * and loki-context.ts keeps a person's access (and so its groups) across requests, so
 * the globs are compiled once rather than on every query.
 */
const groupFilters = new WeakMap<LogAccessGroup, ScopeFilter>();
export function groupFilter(group: LogAccessGroup): ScopeFilter {
  let filter = groupFilters.get(group);
  if (!filter) {
    filter = new ScopeFilter({ groups: [group] });
    groupFilters.set(group, filter);
  }
  return filter;
}

/** Nanosecond timestamps as Loki writes them (digits, no leading zeros): compared without BigInt. */
function compareNs(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const labelKey = (labels: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Streams from several queries (one per access group) as one answer: entries ordered by
 * time (newest first for `backward`), cut to `limit`, regrouped by stream with each
 * stream in the order its first entry appears. Streams with the same labels are joined.
 *
 * Each stream comes from Loki already in the query's direction, so the answer is a k-way
 * merge of the streams (a heap of their heads, earlier stream first on equal times) that
 * stops at `limit`, rather than a sort of every entry; a stream out of order (not what
 * Loki sends) is sorted first, so the answer is the same either way.
 */
export function mergeStreams(parts: readonly (readonly LokiStream[])[], limit: number, direction: 'forward' | 'backward'): LokiStream[] {
  // One group's answer is already Loki's own cut and order (most people have one group):
  // pass it on as it is rather than re-sorting every entry.
  if (parts.length === 1 && parts[0]!.reduce((n, s) => n + s.values.length, 0) <= limit) return [...parts[0]!];
  const sign = direction === 'forward' ? 1 : -1;
  const inOrder = (a: string, b: string) => sign * compareNs(a, b);
  type Run = { key: string; values: LokiStream['values']; next: number; seq: number };
  const labelsByKey = new Map<string, Record<string, string>>();
  const runs: Run[] = [];
  for (const part of parts) {
    for (const s of part) {
      if (s.values.length === 0) continue;
      const key = labelKey(s.stream);
      if (!labelsByKey.has(key)) labelsByKey.set(key, s.stream);
      let values = s.values;
      for (let k = 1; k < values.length; k++) {
        if (inOrder(values[k - 1]![0], values[k]![0]) > 0) {
          // Stable, so equal times keep Loki's order.
          values = [...values].sort((x, y) => inOrder(x[0], y[0]));
          break;
        }
      }
      runs.push({ key, values, next: 0, seq: runs.length });
    }
  }
  const before = (a: Run, b: Run) => {
    const c = inOrder(a.values[a.next]![0], b.values[b.next]![0]);
    return c < 0 || (c === 0 && a.seq < b.seq);
  };
  // A binary min-heap of runs by their next entry.
  const heap = runs;
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  const out = new Map<string, LokiStream>();
  for (let taken = 0; taken < limit && heap.length > 0; taken++) {
    const run = heap[0]!;
    let s = out.get(run.key);
    if (!s) out.set(run.key, (s = { stream: labelsByKey.get(run.key)!, values: [] }));
    s.values.push(run.values[run.next++]!);
    if (run.next === run.values.length) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    down(0);
  }
  return [...out.values()];
}

/** Label sets, each once (by content), in first-seen order. */
export function uniqueLabelSets(sets: readonly Record<string, string>[]): Record<string, string>[] {
  const seen = new Set<string>();
  return sets.filter((s) => {
    const key = labelKey(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
