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
 * Streams from several queries (one per access group) as one answer: entries ordered by
 * time (newest first for `backward`), cut to `limit`, regrouped by stream with each
 * stream in the order its first entry appears. Streams with the same labels are joined.
 */
export function mergeStreams(parts: readonly (readonly LokiStream[])[], limit: number, direction: 'forward' | 'backward'): LokiStream[] {
  // One group's answer is already Loki's own cut and order (most people have one group):
  // pass it on as it is rather than re-sorting every entry.
  if (parts.length === 1 && parts[0]!.reduce((n, s) => n + s.values.length, 0) <= limit) return [...parts[0]!];
  type Entry = { ts: bigint; key: string; entry: LokiStream['values'][number]; seq: number };
  const labelsByKey = new Map<string, Record<string, string>>();
  const entries: Entry[] = [];
  let seq = 0;
  for (const part of parts) {
    for (const s of part) {
      const key = JSON.stringify(Object.entries(s.stream).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      if (!labelsByKey.has(key)) labelsByKey.set(key, s.stream);
      for (const entry of s.values) entries.push({ ts: BigInt(entry[0]), key, entry, seq: seq++ });
    }
  }
  const sign = direction === 'forward' ? 1 : -1;
  entries.sort((a, b) => (a.ts < b.ts ? -sign : a.ts > b.ts ? sign : a.seq - b.seq));
  const out = new Map<string, LokiStream>();
  for (const e of entries.slice(0, limit)) {
    let s = out.get(e.key);
    if (!s) out.set(e.key, (s = { stream: labelsByKey.get(e.key)!, values: [] }));
    s.values.push(e.entry);
  }
  return [...out.values()];
}

/** Label sets, each once (by content), in first-seen order. */
export function uniqueLabelSets(sets: readonly Record<string, string>[]): Record<string, string>[] {
  const seen = new Set<string>();
  return sets.filter((s) => {
    const key = JSON.stringify(Object.entries(s).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
