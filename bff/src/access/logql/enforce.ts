import type { SyntaxNode } from '@lezer/common';

import { CLUSTER_LABEL, describeGroups, type LogAccess, type LogAccessGroup } from './access.ts';
import { collect, parseStrict, selectorMatchers, text, type LogQLRefusal } from './tree.ts';

/**
 * The tenant-safe LogQL enforcer (ARCHITECTURE §4 item 6). Pure: a query and the
 * person's LogAccess in, the query to send to Loki (or a refusal) out.
 *
 * - The query is parsed with @grafana/lezer-logql; a tree with any error node is refused.
 * - Only `Selector` nodes are touched (pipeline label filters such as `| cluster="x"` are
 *   filters on already-selected streams and stay as written). Into every selector, in log
 *   and metric queries alike, the group's `cluster=~"…"` (and `namespace=~"…"` unless the
 *   group has every namespace) is ANDed by splicing text before the selector's closing
 *   brace. User matchers are never removed, replaced or compared; nothing is decided from
 *   the query text (comments exist), only from the tree.
 * - The result is re-parsed and every selector must carry the enforced matchers of one
 *   group; anything else is refused (fail closed).
 *
 * Pipeline stages (`label_format`, `drop`, `keep`, parsers) and `label_replace` run
 * after stream selection, so relabelling `cluster` or `namespace` changes only how
 * already-allowed data is labelled, never which streams are read.
 *
 * Several groups (namespace grants that differ per cluster): one stream selector cannot
 * say "(cluster a, namespaces x) or (cluster b, namespaces y)".
 * - Log queries (streams) are refused, naming the groups: LogQL has no `or` of log
 *   queries. The intended route design is `enforceLogQLPerGroup`: one query per group,
 *   streams merged by timestamp (they are disjoint: every stream carries one cluster
 *   label, and each cluster is in exactly one group), limit applied after the merge.
 * - Metric queries: each range aggregation `f({sel}…[r])` — the smallest expression
 *   whose value is a vector — becomes `(f({sel, G1}…[r]) or f({sel, G2}…[r]) …)`.
 *   Safe by construction: every selector in the output is ANDed with one group's
 *   matchers (and the verifier checks exactly that), so no stream outside a granted
 *   (cluster, namespace) pair is ever read, whatever the operators above do.
 *   Exact when the branches' series are disjoint: each series keeps its `cluster`
 *   label and clusters never repeat across groups, so `or` drops nothing and the union
 *   equals the single query over all granted streams; everything above (sum, topk,
 *   binary operations, label_replace) sees the same input. Where that is not certain —
 *   a range aggregation grouped without `cluster`, a pipeline that rewrites, drops or
 *   unpacks labels possibly touching `cluster`, `absent_over_time` (its union is an
 *   `and`), a selector outside a range aggregation — the query is refused, not answered
 *   wrongly.
 */

export type EnforceResult = { query: string } | LogQLRefusal;

/** At most this many groups are joined with `or` (the query grows with each). */
export const MAX_OR_GROUPS = 16;

export const NOBODY =
  'You may read logs on no cluster: none of your roles grants "viewLogs" (with at least one namespace) on a cluster you can see.';

function multiGroupMessage(access: LogAccess, what: string): string {
  return (
    `Your log access differs between clusters — ${describeGroups(access)} — and ${what} can be limited to only one of these ` +
    'cluster groups at a time. Narrow the request to the clusters of one group (choose them in the cluster picker).'
  );
}

function insertion(group: LogAccessGroup): string {
  return `, ${group.matchers.map((m) => m.text).join(', ')}`;
}

/** Where the enforced matchers go: right after the selector's last matcher. */
function insertAt(selector: SyntaxNode): number {
  return selector.getChild('Matchers')!.to;
}

function splice(source: string, edits: { from: number; to: number; text: string }[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

const has = (labels: string[]) => labels.includes(CLUSTER_LABEL);

/** Why splitting this range aggregation per group might not give the exact answer; undefined: it will. */
function orRewriteProblem(range: SyntaxNode, query: string): LogQLRefusal | undefined {
  const refuse = (node: SyntaxNode, why: string): LogQLRefusal => ({
    error: `Your log access differs between cluster groups, so this query is run per group and joined with "or"; ${why}. Narrow the request to the clusters of one group, or change the query.`,
    position: node.from,
  });
  const ids = (node: SyntaxNode) => collect(node, 'Identifier').map((n) => text(query, n));
  if (range.getChild('RangeOp')?.firstChild?.name === 'AbsentOverTime')
    return refuse(range, 'absent_over_time cannot be joined that way (absent everywhere is an "and")');
  const grouping = range.getChild('Grouping');
  if (grouping && (grouping.getChild('By') ? !has(ids(grouping)) : has(ids(grouping))))
    return refuse(grouping, `the grouping must keep the "${CLUSTER_LABEL}" label (add it to "by")`);
  const logRange = range.getChild('LogRangeExpr');
  if (!logRange) return refuse(range, 'the range aggregation has no log range');
  for (const m of collect(logRange, 'LabelFormatMatcher'))
    if (has(ids(m))) return refuse(m, `a label_format that sets or renames "${CLUSTER_LABEL}" would merge the groups' series`);
  for (const d of collect(logRange, 'DropLabelsExpr'))
    if (has(ids(d))) return refuse(d, `dropping "${CLUSTER_LABEL}" would merge the groups' series`);
  for (const k of collect(logRange, 'KeepLabelsExpr')) {
    const keepsCluster = collect(k, 'KeepLabel').some((l) => l.firstChild?.name === 'Identifier' && text(query, l) === CLUSTER_LABEL);
    if (!keepsCluster) return refuse(k, `a "keep" stage must keep "${CLUSTER_LABEL}"`);
  }
  for (const p of collect(logRange, 'LabelParser'))
    if (p.getChild('Unpack')) return refuse(p, '"unpack" may restore packed labels over the stream labels');
  for (const e of collect(logRange, 'LabelExtractionExpression'))
    if (e.firstChild && text(query, e.firstChild) === CLUSTER_LABEL)
      return refuse(e, `extracting a label named "${CLUSTER_LABEL}" would be ambiguous`);
  return undefined;
}

/**
 * Every Selector of `query` carries the enforced matchers of one group of `access`, the
 * tree has no error, and (when given) the expression kind and selector count are as
 * expected. Exported for tests and for callers that build queries themselves.
 */
export function verifyEnforced(query: string, access: LogAccess, expect: { selectors?: number; kind?: string } = {}): true | LogQLRefusal {
  const failed: LogQLRefusal = { error: 'the query could not be limited to your clusters safely, so it was not run' };
  const parsed = parseStrict(query);
  if ('error' in parsed) return failed;
  if (expect.kind !== undefined && parsed.expr.firstChild?.name !== expect.kind) return failed;
  const selectors = collect(parsed.expr, 'Selector');
  if (selectors.length === 0 || (expect.selectors !== undefined && selectors.length !== expect.selectors)) return failed;
  for (const s of selectors) {
    const ms = selectorMatchers(s, query);
    if (!ms) return failed;
    const enforced = access.groups.some((g) =>
      g.matchers.every((em) => ms.some((m) => m.name === em.name && m.op === '=~' && m.literal === em.literal)),
    );
    if (!enforced) return failed;
  }
  return true;
}

/** `query` limited to `access`: ANDed matchers in every selector, or `or` per group (see above). */
export function enforceLogQL(query: string, access: LogAccess): EnforceResult {
  if (access.groups.length === 0) return { error: NOBODY };
  const parsed = parseStrict(query);
  if ('error' in parsed) return parsed;
  const kind = parsed.expr.firstChild?.name;
  if (kind !== 'LogExpr' && kind !== 'MetricExpr') return { error: 'the query is neither a log nor a metric query' };
  const selectors = collect(parsed.expr, 'Selector');
  if (selectors.length === 0) return { error: 'the query reads no log stream: it needs a stream selector such as {app="api"}' };
  for (const s of selectors) if (!selectorMatchers(s, query)) return { error: 'this stream selector is not understood', position: s.from };

  let out: string;
  let expected: number;
  if (access.groups.length === 1) {
    const add = insertion(access.groups[0]!);
    out = splice(
      query,
      selectors.map((s) => ({ from: insertAt(s), to: insertAt(s), text: add })),
    );
    expected = selectors.length;
  } else {
    if (kind === 'LogExpr') return { error: multiGroupMessage(access, 'a log query') };
    if (access.groups.length > MAX_OR_GROUPS)
      return {
        error: `${multiGroupMessage(access, 'a metric query')} (${access.groups.length} groups; at most ${MAX_OR_GROUPS} are joined)`,
      };
    const edits: { from: number; to: number; text: string }[] = [];
    for (const s of selectors) {
      const range = s.parent?.name === 'LogRangeExpr' ? s.parent.parent : null;
      if (range?.name !== 'RangeAggregationExpr')
        return { error: `${multiGroupMessage(access, 'a log stream outside a range aggregation')}`, position: s.from };
      const problem = orRewriteProblem(range, query);
      if (problem) return problem;
      const rangeText = text(query, range);
      const at = insertAt(s) - range.from;
      const branches = access.groups.map((g) => splice(rangeText, [{ from: at, to: at, text: insertion(g) }]));
      edits.push({ from: range.from, to: range.to, text: `(${branches.join(' or ')})` });
    }
    out = splice(query, edits);
    expected = selectors.length * access.groups.length;
  }
  const verified = verifyEnforced(out, access, { selectors: expected, kind });
  return verified === true ? { query: out } : verified;
}

/**
 * One enforced query per group, for the route to run separately and merge (log queries,
 * and metric queries the `or` rewrite refuses). Each query is limited to its group only.
 */
export function enforceLogQLPerGroup(
  query: string,
  access: LogAccess,
): { queries: { group: LogAccessGroup; query: string }[] } | LogQLRefusal {
  if (access.groups.length === 0) return { error: NOBODY };
  const queries: { group: LogAccessGroup; query: string }[] = [];
  for (const group of access.groups) {
    const r = enforceLogQL(query, { groups: [group] });
    if ('error' in r) return r;
    queries.push({ group, query: r.query });
  }
  return { queries };
}

/**
 * The `query` of `/labels` and `/label/<name>/values`, and each `match[]` of `/series`:
 * a stream selector is required (without one Loki answers for every stream) and is
 * enforced like any query. Several groups: refused — use `enforceSelectorParamPerGroup`
 * and union the answers.
 */
export function enforceSelectorParam(selector: string, access: LogAccess): EnforceResult {
  if (access.groups.length === 0) return { error: NOBODY };
  const parsed = parseStrict(selector);
  if ('error' in parsed) return parsed;
  const log = parsed.expr.firstChild;
  if (log?.name !== 'LogExpr' || log.firstChild?.name !== 'Selector' || log.firstChild.nextSibling)
    return { error: 'a stream selector such as {app="api"} is required here, and nothing else', position: 0 };
  if (access.groups.length > 1) return { error: multiGroupMessage(access, 'a label or series lookup') };
  const r = enforceLogQL(selector, access);
  if ('error' in r) return r;
  const again = parseStrict(r.query);
  if ('error' in again || again.expr.firstChild?.firstChild?.nextSibling) return { error: 'the selector could not be limited safely' };
  return r;
}

/** `enforceSelectorParam` once per group. */
export function enforceSelectorParamPerGroup(selector: string, access: LogAccess): { selectors: string[] } | LogQLRefusal {
  if (access.groups.length === 0) return { error: NOBODY };
  const selectors: string[] = [];
  for (const group of access.groups) {
    const r = enforceSelectorParam(selector, { groups: [group] });
    if ('error' in r) return r;
    selectors.push(r.query);
  }
  return { selectors };
}
