import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode, Tree } from '@lezer/common';

/** A refusal; `position` is a 0-based offset into the query when one place is to blame. */
export interface LogQLRefusal {
  error: string;
  position?: number;
}

export type Parsed = { tree: Tree; expr: SyntaxNode } | LogQLRefusal;

/** Parses with Grafana's grammar; any error node, or no expression at all, is a refusal. */
export function parseStrict(query: string): Parsed {
  if (query.trim() === '') return { error: 'the query is empty' };
  const tree = parser.parse(query);
  let position: number | undefined;
  tree.iterate({
    enter: (n) => {
      if (position !== undefined) return false;
      if (n.type.isError) {
        position = n.from;
        return false;
      }
      return undefined;
    },
  });
  if (position !== undefined) {
    const near = query.slice(Math.max(0, position - 12), position + 12);
    return { error: `the query is not valid LogQL at position ${position} (near ${JSON.stringify(near)})`, position };
  }
  const expr = tree.topNode.getChild('Expr');
  if (!expr || tree.topNode.getChildren('Expr').length !== 1) return { error: 'the query is not one LogQL expression' };
  return { tree, expr };
}

/** Every descendant named `name`, in document order, not descending into matches. */
export function collect(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === name) out.push(c);
      else walk(c);
    }
  };
  walk(node);
  return out;
}

export interface SelectorMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  /** The string literal exactly as written (quotes and escapes included). */
  literal: string;
}

const OPS = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' } as const;

/**
 * The matchers of one `Selector`: its `Matchers` chain only (left-nested in this
 * grammar), never matchers of pipeline label filters. `undefined` when a matcher has an
 * unexpected shape — the caller then refuses.
 */
export function selectorMatchers(selector: SyntaxNode, query: string): SelectorMatcher[] | undefined {
  const out: SelectorMatcher[] = [];
  const matchersNodes = selector.getChildren('Matchers');
  if (matchersNodes.length !== 1) return undefined;
  const walk = (matchers: SyntaxNode): boolean => {
    for (let c = matchers.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Matchers') {
        if (!walk(c)) return false;
      } else if (c.name === 'Matcher') {
        const parts = [];
        for (let p = c.firstChild; p; p = p.nextSibling) if (p.name !== 'LineComment') parts.push(p);
        const [id, op, str] = parts;
        if (parts.length !== 3 || id?.name !== 'Identifier' || str?.name !== 'String' || !op || !(op.name in OPS)) return false;
        out.push({ name: query.slice(id.from, id.to), op: OPS[op.name as keyof typeof OPS], literal: query.slice(str.from, str.to) });
      } else if (c.name !== 'LineComment') return false;
    }
    return true;
  };
  return walk(matchersNodes[0]!) ? out : undefined;
}

export function text(query: string, node: SyntaxNode): string {
  return query.slice(node.from, node.to);
}
