import type { SyntaxNode } from '@lezer/common';
import { parser } from '@grafana/lezer-logql';

/**
 * The LogQL subset the testbed's Loki-API stand-in evaluates: stream selectors with
 * all four matchers, chained line filters, and `count_over_time` / `rate` optionally
 * under `sum` / `sum by (…)`. Parsed with Grafana's own grammar (@grafana/lezer-logql);
 * a tree with an error node, or anything outside the subset, is refused.
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
  test(value: string | undefined): boolean;
}
export interface LineFilter {
  op: '|=' | '!=' | '|~' | '!~';
  value: string;
  test(line: string): boolean;
}
export interface LogQuery {
  kind: 'log';
  matchers: LabelMatcher[];
  filters: LineFilter[];
}
export interface MetricQuery {
  kind: 'metric';
  fn: 'count_over_time' | 'rate';
  rangeSeconds: number;
  log: LogQuery;
  /** `sum` (no grouping: by = []) or `sum by (…)`; undefined: one series per stream. */
  sumBy?: string[];
}
export type Query = LogQuery | MetricQuery;

export class LogQLError extends Error {
  override name = 'LogQLError';
}

const OPS: Record<string, MatchOp> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };
const FILTERS: Record<string, LineFilter['op']> = { PipeExact: '|=', Neq: '!=', PipeMatch: '|~', Nre: '!~' };
const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

function unquote(text: string): string {
  if (text.startsWith('`')) return text.slice(1, -1);
  try {
    return JSON.parse(text) as string;
  } catch {
    throw new LogQLError(`bad string literal ${text}`);
  }
}

function anchored(re: string): RegExp {
  try {
    // Label matchers are fully anchored, as in Prometheus and Loki.
    return new RegExp(`^(?:${re})$`);
  } catch (err) {
    throw new LogQLError(`bad regular expression ${JSON.stringify(re)}: ${(err as Error).message}`);
  }
}

function parseDuration(text: string): number {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    consumed += m[0].length;
  }
  if (consumed !== text.length || total <= 0) throw new LogQLError(`bad duration ${text}`);
  return total;
}

export function parseLogQL(query: string): Query {
  if (query.trim() === '') throw new LogQLError('empty query');
  const tree = parser.parse(query);
  tree.iterate({
    enter: (n) => {
      if (n.type.isError)
        throw new LogQLError(`parse error at position ${n.from}: ${JSON.stringify(query.slice(Math.max(0, n.from - 10), n.from + 10))}`);
    },
  });
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);
  const expr = tree.topNode.getChild('Expr')?.firstChild;
  if (!expr) throw new LogQLError('not an expression');
  const unsupported = (n: SyntaxNode) =>
    new LogQLError(
      `"${text(n)}" is outside the LogQL subset this test stand-in supports (selectors, line filters, count_over_time/rate, sum [by])`,
    );

  const logExpr = (selector: SyntaxNode, pipeline: SyntaxNode | null): LogQuery => {
    const matchers: LabelMatcher[] = [];
    for (const m of selector.getChild('Matchers') ? collect(selector, 'Matcher') : []) {
      const name = text(m.getChild('Identifier')!);
      const opNode = ['Eq', 'Neq', 'Re', 'Nre'].map((k) => m.getChild(k)).find(Boolean);
      const str = m.getChild('String');
      if (!opNode || !str) throw unsupported(m);
      const op = OPS[opNode.name]!;
      const value = unquote(text(str));
      const re = op === '=~' || op === '!~' ? anchored(value) : undefined;
      matchers.push({
        name,
        op,
        value,
        test: (v = '') => (op === '=' ? v === value : op === '!=' ? v !== value : op === '=~' ? re!.test(v) : !re!.test(v)),
      });
    }
    if (!matchers.some((m) => !m.test('')))
      throw new LogQLError('queries require at least one matcher that does not match the empty string');
    const filters: LineFilter[] = [];
    if (pipeline) {
      for (const stage of collect(pipeline, 'PipelineStage')) {
        const lf = stage.getChild('LineFilters');
        if (!lf || stage.firstChild?.name !== 'LineFilters') throw unsupported(stage);
        for (const f of collect(lf, 'LineFilter')) {
          const filterNode = f.getChild('Filter');
          const opName = filterNode?.firstChild?.name;
          const str = f.getChild('String');
          const op = opName ? FILTERS[opName] : undefined;
          if (!op || !str || f.getChildren('String').length !== 1) throw unsupported(f);
          const value = unquote(text(str));
          const re = op === '|~' || op === '!~' ? unanchored(value) : undefined;
          filters.push({
            op,
            value,
            test: (line) =>
              op === '|=' ? line.includes(value) : op === '!=' ? !line.includes(value) : op === '|~' ? re!.test(line) : !re!.test(line),
          });
        }
      }
    }
    return { kind: 'log', matchers, filters };
  };

  if (expr.name === 'LogExpr') {
    const selector = expr.getChild('Selector');
    if (!selector) throw unsupported(expr);
    return logExpr(selector, expr.getChild('PipelineExpr'));
  }
  if (expr.name !== 'MetricExpr') throw unsupported(expr);
  let node = expr.firstChild!;
  let sumBy: string[] | undefined;
  if (node.name === 'VectorAggregationExpr') {
    if (node.getChild('VectorOp')?.firstChild?.name !== 'Sum') throw unsupported(node);
    const grouping = node.getChild('Grouping');
    if (grouping && !grouping.getChild('By')) throw unsupported(grouping);
    sumBy = grouping ? collect(grouping.getChild('Labels')!, 'Identifier').map(text) : [];
    const inner = node.getChild('MetricExpr')?.firstChild;
    if (!inner) throw unsupported(node);
    node = inner;
  }
  if (node.name !== 'RangeAggregationExpr') throw unsupported(node);
  const fnName = node.getChild('RangeOp')?.firstChild?.name;
  const fn = fnName === 'CountOverTime' ? 'count_over_time' : fnName === 'Rate' ? 'rate' : undefined;
  const range = node.getChild('LogRangeExpr');
  const selector = range?.getChild('Selector');
  const duration = range?.getChild('Range')?.getChild('Duration');
  if (!fn || !range || !selector || !duration || range.getChild('UnwrapExpr')) throw unsupported(node);
  return {
    kind: 'metric',
    fn,
    rangeSeconds: parseDuration(text(duration)),
    log: logExpr(selector, range.getChild('PipelineExpr')),
    ...(sumBy && { sumBy }),
  };
}

function unanchored(re: string): RegExp {
  try {
    return new RegExp(re);
  } catch (err) {
    throw new LogQLError(`bad regular expression ${JSON.stringify(re)}: ${(err as Error).message}`);
  }
}

/** Every descendant named `name`, in document order, not descending into matches. */
function collect(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const cursor = node.cursor();
  if (!cursor.firstChild()) return out;
  const walk = (): void => {
    do {
      if (cursor.name === name) out.push(cursor.node);
      else if (cursor.firstChild()) {
        walk();
        cursor.parent();
      }
    } while (cursor.nextSibling());
  };
  walk();
  return out;
}

export function streamMatches(q: LogQuery, labels: Record<string, string>): boolean {
  return q.matchers.every((m) => m.test(labels[m.name]));
}

export function lineMatches(q: LogQuery, line: string): boolean {
  return q.filters.every((f) => f.test(line));
}
