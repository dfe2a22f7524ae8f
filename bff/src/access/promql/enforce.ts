/**
 * The tenant-safe PromQL enforcer (ARCHITECTURE §4.5): pure functions, no I/O.
 *
 * What it guarantees: every vector selector of the query that leaves here — wherever it
 * sits (function arguments, aggregations, binary operations, range selectors, subqueries,
 * under `offset` / `@`, with or without a metric name, quoted names) — carries, ANDed to the
 * user's own matchers, the matchers of ONE allowed group: `cluster=~"<its clusters>"` and,
 * for a namespace-limited group, `namespace=~"<its globs>"`. A selector reads only series
 * matching all its matchers, so every series the query reads lies in
 * `clusters(g) × namespaces(g)` for some group g: no (cluster, namespace) pair outside the
 * grants is ever read. Functions that rewrite labels (`label_replace`, `label_join`,
 * `count_values`) or add series (`vector(1)`) work on what was read and cannot widen it.
 *
 * How: parse with lezer (which never throws; any error node refuses the query, with its
 * position), splice the matchers in as text at node offsets (right after `{`, or as `{…}`
 * after a bare metric name — user matchers are never removed, replaced or compared), then
 * re-parse the result and verify the invariant above by walking the new tree. Any doubt
 * fails closed. Nothing is decided from the query text itself (comments exist).
 *
 * Several groups (a Developer's namespaces differ from cluster to cluster): one selector
 * cannot say "(c1 ∧ ns-a) ∨ (c2 ∧ ns-b)", and two independent regexes would admit (c1, ns-b).
 * So each selector is copied once per group, each copy with one group's matchers, and the
 * copies are combined where the result is an instant vector. The groups partition the
 * clusters and every copy's series carry their cluster label, so the copies' results never
 * share a label set and `or` is their exact union. The split point, per selector:
 *   - an instant selector, with its `offset` / `@` / `anchored` / `smoothed` modifiers
 *     (they must stay on a selector): `x offset 1h` → `(x{g1} offset 1h or x{g2} offset 1h)`.
 *     Modifiers bind as Prometheus binds them (`a / b offset 1d` offsets `b`), not as lezer's
 *     loose tree says; a bare `group_left` / `group_right` before a split gets `()`;
 *   - a range selector `x[5m]` cannot be `or`ed: the enclosing function call is split
 *     instead, `rate(x[5m])` → `(rate(x{g1}[5m]) or rate(x{g2}[5m]))`. Allowed only for the
 *     range functions that map each input series to one output series keeping its labels
 *     (rate, increase, *_over_time, …), where f(A ∪ B) = f(A) ∪ f(B); other arguments of
 *     the call are copied along and enforced on their own;
 *   - `absent_over_time(x[5m])` and `absent(x)` answer "nothing at all": split with `and`,
 *     absent(A ∪ B) = absent(A) and absent(B) (both copies derive the same labels, since
 *     the enforced matchers are regexes inserted before the user's);
 *   - `timestamp(x)` reads sample timestamps only from a bare selector: split at the call.
 *   Refused (fail closed, with a message naming the construct) for several groups: a range
 *   selector that is the whole query, or an argument of anything else. Subqueries take an
 *   instant expression and need nothing special. Results equal the unsplit query's up to
 *   the order of series (and so of `topk` ties); nested splits multiply the text, capped.
 *
 * Safety rests only on the set of selectors (the verification), not on the tree's shape:
 * the shape decides where copies are combined, so a misreading can only make Prometheus
 * refuse the rewrite or change its result within the grants, never widen what is read.
 *
 * The enforced matchers go first in `{…}`: `absent(x{cluster="a"})` still derives
 * `cluster="a"` (Prometheus drops a label named by a later non-equality matcher).
 */
import type { SyntaxNode } from '@lezer/common';

import type { PromAccess, PromAccessGroup } from './access.ts';
import { analyse, functionName, MODIFIERS, type PromQLError, type SelectorSite } from './tree.ts';
import { SERIESWISE_RANGE_FUNCTIONS } from './range-functions.ts';

export type { PromQLError } from './tree.ts';

/** Longest query accepted, and longest rewrite produced (several groups copy text). */
export const MAX_QUERY_CHARS = 64 * 1024;
export const MAX_OUTPUT_CHARS = 256 * 1024;

export const NO_ACCESS = 'you may not see any cluster: the query was not run';

interface Split {
  from: number;
  to: number;
  op: 'or' | 'and';
  /** The one selector whose group each copy fixes. */
  selector: number;
  children: Split[];
  /** What is inserted in this region, outside the children: a selector's matchers, or fixed text. */
  inserts: Insert[];
}

type Insert = { at: number; site: number } | { at: number; text: string };

class TooLong extends Error {}
class Overlap extends Error {}

/** `node` climbed through modifiers (and, with `parens`, parentheses) while it is their operand. */
function climb(node: SyntaxNode, parens: boolean): SyntaxNode {
  let n = node;
  for (let p = n.parent; p && (MODIFIERS.has(p.name) || (parens && p.name === 'ParenExpr')); p = n.parent) n = p;
  return n;
}

/** The call whose argument `node` is, if any. */
function callOf(node: SyntaxNode): SyntaxNode | undefined {
  const body = node.parent;
  return body?.name === 'FunctionCallBody' && body.parent?.name === 'FunctionCall' ? body.parent : undefined;
}

/**
 * Where the modifiers that Prometheus binds to selector `node` end. Prometheus binds
 * `offset` / `@` / `anchored` / `smoothed` to the primary expression right before them
 * (`a / b offset 1d` offsets `b`); lezer's loose grammar wraps the whole binary expression.
 * So the selector's modifiers are those of every modifier node whose operand ends where
 * the selector (with the modifiers found so far) ends.
 */
function modifiedEnd(node: SyntaxNode): number {
  let end = node.to;
  for (let p = node.parent; p; p = p.parent) {
    if (MODIFIERS.has(p.name) && p.firstChild?.to === end) end = p.to;
    else if (p.to !== end) break;
  }
  return end;
}

/** Where selector `site` is split for several groups, or why it cannot be. */
function splitPoint(text: string, site: SelectorSite, index: number): Split | PromQLError {
  const make = (from: number, to: number, op: 'or' | 'and'): Split => ({ from, to, op, selector: index, children: [], inserts: [] });
  const matrix = site.node.parent;
  if (matrix?.name === 'MatrixSelector') {
    const call = callOf(climb(matrix, true));
    const name = call ? functionName(text, call) : '';
    if (call && SERIESWISE_RANGE_FUNCTIONS.has(name)) return make(call.from, call.to, 'or');
    if (call && name === 'absent_over_time') return make(call.from, call.to, 'and');
    const what = call ? `${name}() over a range selector` : 'a range selector outside a function call';
    return {
      error: `${what} cannot be limited to your grants, which differ between clusters; wrap it in a function such as last_over_time()`,
      position: matrix.from,
    };
  }
  const call = callOf(climb(site.node, true));
  const name = call ? functionName(text, call) : '';
  if (call && name === 'absent') return make(call.from, call.to, 'and');
  if (call && name === 'timestamp') return make(call.from, call.to, 'or');
  return make(site.node.from, modifiedEnd(site.node), 'or');
}

/** Nests the splits (tree node ranges: nested or disjoint) and files each insertion in its innermost region. */
function buildRegions(text: string, sites: readonly SelectorSite[], splits: Split[], fixed: readonly Insert[]): Split {
  const root: Split = { from: 0, to: text.length, op: 'or', selector: -1, children: [], inserts: [] };
  const sorted = [...splits].sort((a, b) => a.from - b.from || b.to - a.to);
  const stack: Split[] = [root];
  for (const s of sorted) {
    while (stack.length > 1 && stack.at(-1)!.to <= s.from) stack.pop();
    if (s.to > stack.at(-1)!.to) throw new Overlap();
    stack.at(-1)!.children.push(s);
    stack.push(s);
  }
  const innermost = (r: Split, from: number, to: number): Split => {
    const child = r.children.find((c) => c.from <= from && to <= c.to);
    return child ? innermost(child, from, to) : r;
  };
  sites.forEach((site, i) => innermost(root, site.node.from, site.node.to).inserts.push({ at: site.insertAt, site: i }));
  // A fixed insert right before a region belongs outside it (`group_left()` + `(…)`).
  for (const f of fixed) innermost(root, f.at - 1, f.at).inserts.push(f);
  return root;
}

function matcherText(site: SelectorSite, group: PromAccessGroup): string {
  const list = group.matchers.map((m) => m.text).join(',');
  return site.bare ? `{${list}}` : site.comma ? `${list},` : list;
}

/** The rewritten text: splices, and one copy per group of every split region. */
function render(text: string, sites: readonly SelectorSite[], root: Split, groups: readonly PromAccessGroup[]): string {
  let budget = MAX_OUTPUT_CHARS;
  const spend = (s: string) => {
    budget -= s.length;
    if (budget < 0) throw new TooLong();
    return s;
  };
  const region = (r: Split, assign: ReadonlyMap<number, number>): string => {
    const items: (Insert | { at: number; child: Split })[] = [...r.children.map((child) => ({ at: child.from, child })), ...r.inserts].sort(
      (a, b) => a.at - b.at || ('child' in a ? 1 : 0) - ('child' in b ? 1 : 0),
    );
    let out = '';
    let pos = r.from;
    for (const item of items) {
      out += spend(text.slice(pos, item.at));
      if ('text' in item) {
        out += spend(item.text);
        pos = item.at;
      } else if ('site' in item) {
        const group = groups[assign.get(item.site) ?? (groups.length === 1 ? 0 : -1)];
        if (!group) throw new Error('selector outside its split');
        out += spend(matcherText(sites[item.site]!, group));
        pos = item.at;
      } else {
        const child = item.child;
        const copies = groups.map((_, g) => region(child, new Map(assign).set(child.selector, g)));
        out += spend(`(${copies.join(` ${child.op} `)})`);
        pos = child.to;
      }
    }
    return out + spend(text.slice(pos, r.to));
  };
  return region(root, new Map());
}

/** Every selector carries all matchers of at least one group, as spliced. */
function verify(output: string, groups: readonly PromAccessGroup[], minSelectors: number): PromQLError | undefined {
  const again = analyse(output);
  if ('error' in again) return { error: `the scoped query did not verify (${again.error}); it was not run` };
  if (again.selectors.length < minSelectors) return { error: 'the scoped query lost a selector; it was not run' };
  for (const site of again.selectors) {
    const have = new Set(site.matchers);
    if (!groups.some((g) => g.matchers.every((m) => have.has(m.text)))) {
      return { error: 'the scoped query has a selector without your scope; it was not run' };
    }
  }
  return undefined;
}

/**
 * The query limited to what `access` allows, or why it is refused. Refused: bad PromQL
 * (with the character position), an access with no group, and constructs that cannot be
 * limited to several groups (see the module header).
 */
export function enforcePromQL(query: string, access: PromAccess): { query: string } | PromQLError {
  const groups = access.groups;
  if (groups.length === 0) return { error: NO_ACCESS };
  if (query.length > MAX_QUERY_CHARS) return { error: `the query is longer than ${MAX_QUERY_CHARS} characters` };
  const parsed = analyse(query);
  if ('error' in parsed) return parsed;
  const sites = parsed.selectors;
  const splits: Split[] = [];
  if (groups.length > 1) {
    const seen = new Set<string>();
    for (const [i, site] of sites.entries()) {
      const split = splitPoint(query, site, i);
      if ('error' in split) return split;
      const key = `${split.from}:${split.to}`;
      if (seen.has(key)) return { error: 'two selectors share one split point; the query was not run', position: split.from };
      seen.add(key);
      splits.push(split);
    }
  }
  let output: string;
  try {
    const fixed = groups.length > 1 ? parsed.bareGroupModifiers.map((at) => ({ at, text: '()' })) : [];
    output = render(query, sites, buildRegions(query, sites, splits, fixed), groups);
  } catch (e) {
    if (e instanceof TooLong) return { error: 'the query is too large once limited to your grants, which differ between clusters' };
    if (e instanceof Overlap) return { error: 'the query cannot be limited to your grants, which differ between clusters' };
    throw e;
  }
  const problem = verify(output, groups, sites.length);
  return problem ?? { query: output };
}

/**
 * `match[]` of the series / labels / label-values APIs limited to `access`: each must be a
 * plain vector selector; each becomes one selector per group (the API answers the union of
 * its `match[]`, which is exactly the OR a single selector cannot say). No `match[]` at all
 * means "every series": it becomes one `{<group matchers>}` per group — always send the result.
 */
export function enforceMatchers(
  matchers: readonly string[],
  access: PromAccess,
): { matchers: string[] } | (PromQLError & { index?: number }) {
  const groups = access.groups;
  if (groups.length === 0) return { error: NO_ACCESS };
  if (matchers.length === 0) return { matchers: groups.map((g) => `{${g.matchers.map((m) => m.text).join(',')}}`) };
  const out: string[] = [];
  for (const [index, text] of matchers.entries()) {
    if (text.length > MAX_QUERY_CHARS) return { error: `match[] is longer than ${MAX_QUERY_CHARS} characters`, index };
    const parsed = analyse(text);
    if ('error' in parsed) return { ...parsed, index };
    const top = parsed.tree.topNode.getChildren('VectorSelector');
    const site = parsed.selectors[0];
    if (top.length !== 1 || parsed.selectors.length !== 1 || !site || site.node.parent?.name !== 'PromQL') {
      return { error: 'match[] must be a series selector such as up{job="x"}', index };
    }
    for (const group of groups) {
      const one = text.slice(0, site.insertAt) + matcherText(site, group) + text.slice(site.insertAt);
      const problem = verify(one, [group], 1);
      if (problem) return { ...problem, index };
      out.push(one);
    }
  }
  return { matchers: out };
}
