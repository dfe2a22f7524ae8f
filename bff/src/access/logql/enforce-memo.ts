import { BoundedMemo } from '../../lib/bounded-memo.ts';
import type { LogAccess, LogAccessGroup } from './access.ts';
import { enforceLogQL, enforceLogQLPerGroup, type EnforceResult } from './enforce.ts';
import { parseStrict, type LogQLRefusal } from './tree.ts';

/**
 * The LogQL enforcer's answers, remembered. A log query costs three parses before it is
 * sent (its kind, the enforcement, the verification of what was spliced), about half a
 * millisecond of the Loki route's fixed cost, and a Logs page or a Grafana panel sends the
 * same query under the same access again and again. Every answer is a pure function of
 * (query, access): entries are looked up by the query and the access' full text (never a
 * hash, so no collision can hand one scope another's query), least recently used first
 * out, bounded by the characters they hold. As the PromQL memo (promql/enforce-memo.ts).
 */

/**
 * An access' exact text: each group's clusters, namespaces and the matchers spliced into
 * queries, in order. Two accesses share a key only when all of that is equal. Kept per
 * object: an access is built once per inventory change and scope (loki-context.ts).
 */
const keys = new WeakMap<LogAccess, string>();
export function logAccessKey(access: LogAccess): string {
  let key = keys.get(access);
  if (key === undefined) {
    key = JSON.stringify(access.groups.map((g) => [g.clusters, g.namespaces, g.matchers.map((m) => m.text)]));
    keys.set(access, key);
  }
  return key;
}

export type QueryKind = 'LogExpr' | 'MetricExpr';
const NEITHER: LogQLRefusal = { error: 'the query is neither a log nor a metric query', position: 0 };

/** Whether a query is a log or a metric query, or why it is neither (it does not parse, or is something else). */
export function queryKind(query: string): QueryKind | LogQLRefusal {
  const parsed = parseStrict(query);
  if ('error' in parsed) return parsed;
  const kind = parsed.expr.firstChild?.name;
  return kind === 'LogExpr' || kind === 'MetricExpr' ? kind : NEITHER;
}

/** Per-group queries kept as text only: the caller's own group objects are paired with them by position. */
type PerGroupTexts = { queries: string[] } | LogQLRefusal;
type Value = QueryKind | LogQLRefusal | EnforceResult | PerGroupTexts;

const textChars = (v: Value): number => {
  if (typeof v === 'string') return v.length;
  if ('error' in v) return v.error.length;
  if ('query' in v) return v.query.length;
  return v.queries.reduce((n, q) => n + q.length, 0);
};

export class LogQLMemo {
  readonly #memo: BoundedMemo<Value>;

  constructor(maxChars = 8 * 1024 * 1024) {
    this.#memo = new BoundedMemo(Infinity, {
      maxBytes: maxChars,
      maxEntryBytes: maxChars / 4,
      sizeOf: (value, key) => key.length + textChars(value),
    });
  }

  /** `queryKind`, remembered (it does not depend on the access). */
  kind(query: string): QueryKind | LogQLRefusal {
    return this.#memo.getOrCompute(`k\u0000${query}`, () => queryKind(query)) as QueryKind | LogQLRefusal;
  }

  /** `enforceLogQL`, remembered. */
  enforce(query: string, access: LogAccess): EnforceResult {
    return this.#memo.getOrCompute(`e\u0000${logAccessKey(access)}\u0000${query}`, () => enforceLogQL(query, access)) as EnforceResult;
  }

  /** `enforceLogQLPerGroup`, remembered; the groups in the answer are `access`'s own. */
  perGroup(query: string, access: LogAccess): { queries: { group: LogAccessGroup; query: string }[] } | LogQLRefusal {
    const texts = this.#memo.getOrCompute(`g\u0000${logAccessKey(access)}\u0000${query}`, () => {
      const per = enforceLogQLPerGroup(query, access);
      return 'error' in per ? per : { queries: per.queries.map((q) => q.query) };
    }) as PerGroupTexts;
    if ('error' in texts) return texts;
    // Same key, same groups in the same order: the i-th query is the i-th group's.
    return { queries: texts.queries.map((q, i) => ({ group: access.groups[i]!, query: q })) };
  }

  get hits(): number {
    return this.#memo.hits;
  }

  get misses(): number {
    return this.#memo.misses;
  }

  get size(): number {
    return this.#memo.size;
  }
}
