import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

/** A refusal: what is wrong, and where in the text (0-based character offset) when known. */
export interface PromQLError {
  error: string;
  position?: number;
}

/** One vector selector of a parsed query, and where its enforced matchers go. */
export interface SelectorSite {
  node: SyntaxNode;
  /** Offset the matchers are inserted at: just after `{`, or after a bare metric name. */
  insertAt: number;
  /** A bare metric name: the matchers go in a new `{…}`. */
  bare: boolean;
  /** The `{…}` already holds matchers: the inserted ones are followed by a comma. */
  comma: boolean;
  /** Raw text of every direct matcher (`UnquotedLabelMatcher`, `QuotedLabelMatcher`, lone `QuotedLabelName`). */
  matchers: string[];
}

export interface Analysis {
  tree: Tree;
  selectors: SelectorSite[];
  /**
   * Offsets just after a `group_left` / `group_right` with no label list: a `(` spliced
   * after one would be read as its label list, so the split writes `()` there first.
   */
  bareGroupModifiers: number[];
}

/** Wrappers that modify a selector (or range selector) and must stay attached to it. */
export const MODIFIERS = new Set(['OffsetExpr', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr']);
const MATCHERS = new Set(['UnquotedLabelMatcher', 'QuotedLabelMatcher', 'QuotedLabelName']);

/** The function name of a `FunctionCall` node. */
export function functionName(text: string, call: SyntaxNode): string {
  const id = call.getChild('FunctionIdentifier');
  return id ? text.slice(id.from, id.to) : '';
}

/**
 * Whether a PromQL string literal token is well formed. Lezer's token accepts an
 * unterminated string up to the end of the line; Prometheus refuses it. Checking here
 * keeps the two parsers agreeing on where strings end.
 */
function stringLiteralProblem(raw: string): string | undefined {
  const quote = raw[0];
  if (quote === '`') return raw.length >= 2 && raw.endsWith('`') ? undefined : 'unterminated raw string';
  if (quote !== '"' && quote !== "'") return 'not a string literal';
  for (let i = 1; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\') i++;
    else if (ch === quote) return i === raw.length - 1 ? undefined : 'string literal ends early';
  }
  return 'unterminated string literal';
}

/**
 * Parses and checks one query: no error node anywhere, every string literal terminated,
 * no selector without any matcher (`{}`), no range after anything but a vector selector,
 * no `info()` (its second argument is a selector on info metrics whose enforcement would
 * change which labels it adds). Collects every vector selector.
 */
export function analyse(text: string): Analysis | PromQLError {
  const tree = parser.parse(text);
  const selectors: SelectorSite[] = [];
  const bareGroupModifiers: number[] = [];
  let problem: PromQLError | undefined;
  tree.iterate({
    enter(ref) {
      if (problem) return false;
      if (ref.type.isError) {
        problem = { error: `PromQL syntax error at character ${ref.from}`, position: ref.from };
        return false;
      }
      switch (ref.name) {
        case 'StringLiteral': {
          const bad = stringLiteralProblem(text.slice(ref.from, ref.to));
          if (bad) problem = { error: `PromQL syntax error: ${bad} at character ${ref.from}`, position: ref.from };
          return false;
        }
        case 'LineComment':
          return false;
        case 'MatrixSelector':
          if (ref.node.firstChild?.name !== 'VectorSelector') {
            problem = { error: 'a range [...] may follow only a vector selector', position: ref.from };
            return false;
          }
          return undefined;
        case 'FunctionCall':
          if (functionName(text, ref.node) === 'info') {
            problem = { error: 'info() is not supported in scoped queries', position: ref.from };
            return false;
          }
          return undefined;
        case 'GroupLeft':
        case 'GroupRight': {
          let next = ref.node.nextSibling;
          while (next?.name === 'LineComment') next = next.nextSibling;
          if (next?.name !== 'GroupingLabels') bareGroupModifiers.push(ref.to);
          return false;
        }
        case 'VectorSelector': {
          const site = selectorSite(text, ref.node);
          if ('error' in site) problem = site;
          else selectors.push(site);
          return undefined; // string literals inside are checked too
        }
        default:
          return undefined;
      }
    },
  });
  if (problem) return problem;
  if (text.trim() === '' || !tree.topNode.firstChild) return { error: 'the query is empty', position: 0 };
  return { tree, selectors, bareGroupModifiers };
}

function selectorSite(text: string, node: SyntaxNode): SelectorSite | PromQLError {
  const name = node.getChild('Identifier');
  const braces = node.getChild('LabelMatchers');
  const matchers: string[] = [];
  if (braces) {
    for (let c = braces.firstChild; c; c = c.nextSibling) if (MATCHERS.has(c.name)) matchers.push(text.slice(c.from, c.to));
  }
  if (braces) {
    if (text[braces.from] !== '{') return { error: 'unexpected selector shape', position: braces.from };
    if (!name && matchers.length === 0) {
      return { error: 'vector selector must contain at least one non-empty matcher', position: node.from };
    }
    return { node, insertAt: braces.from + 1, bare: false, comma: matchers.length > 0, matchers };
  }
  if (!name) return { error: 'unexpected selector shape', position: node.from };
  return { node, insertAt: name.to, bare: true, comma: false, matchers };
}
