import type { SyntaxNode } from '@lezer/common';

import type { AggregationOp, ArithmeticOp, LogQuery, MetricExpr, RangeFn, SetOp } from './ast.ts';
import type { LogQLError } from './errors.ts';
import { children, collect, durationNs } from './syntax.ts';

/** What the metric part needs from the log-query parser: the query text, its refusals and log queries. */
export interface LogParts {
  text(n: SyntaxNode): string;
  unsupported(n: SyntaxNode, what?: string): LogQLError;
  logParts(selector: SyntaxNode, pipeline: SyntaxNode | null): LogQuery;
}

const RANGE_FNS: Record<string, RangeFn> = {
  CountOverTime: 'count_over_time',
  Rate: 'rate',
  BytesOverTime: 'bytes_over_time',
  BytesRate: 'bytes_rate',
};
const AGGREGATIONS: Record<string, AggregationOp> = { Sum: 'sum', Count: 'count', Avg: 'avg', Min: 'min', Max: 'max' };
const BINARY_OPS: Record<string, SetOp | ArithmeticOp> = { Or: 'or', And: 'and', Unless: 'unless', Add: '+', Sub: '-', Mul: '*', Div: '/' };

/** Metric queries (range functions, aggregations, binary operators, numbers) over log queries. */
export function parseMetric(ctx: LogParts, node: SyntaxNode): MetricExpr {
  const first = node.firstChild;
  if (!first) throw ctx.unsupported(node);
  switch (first.name) {
    case 'MetricExpr':
      return parseMetric(ctx, first); // parentheses
    case 'RangeAggregationExpr':
      return range(ctx, first);
    case 'VectorAggregationExpr':
      return aggregate(ctx, first);
    case 'BinOpExpr':
      return binary(ctx, first);
    case 'LiteralExpr': {
      const value = Number(ctx.text(first).replace(/\s+/g, ''));
      if (!Number.isFinite(value)) throw ctx.unsupported(first);
      return { kind: 'scalar', value };
    }
    default:
      throw ctx.unsupported(first);
  }
}

function range(ctx: LogParts, node: SyntaxNode): MetricExpr {
  const fn = RANGE_FNS[node.getChild('RangeOp')?.firstChild?.name ?? ''];
  if (!fn) throw ctx.unsupported(node, `the function "${ctx.text(node.getChild('RangeOp') ?? node)}"`);
  if (node.getChild('Grouping') || node.getChild('Number')) throw ctx.unsupported(node);
  const range = node.getChild('LogRangeExpr');
  if (!range || range.getChild('UnwrapExpr') || range.getChild('OffsetExpr')) throw ctx.unsupported(node, 'unwrap and offset');
  const duration = range.getChild('Range')?.getChild('Duration');
  let selector = range.getChild('Selector');
  let pipeline = range.getChild('PipelineExpr');
  if (!selector) {
    // `count_over_time(({a="b"} |= "x")[5m])`
    const inner = range.getChild('LogExpr');
    selector = inner?.getChild('Selector') ?? null;
    pipeline = inner?.getChild('PipelineExpr') ?? null;
  }
  if (!selector || !duration) throw ctx.unsupported(node);
  return { kind: 'range', fn, rangeNs: durationNs(ctx.text(duration), duration.from), log: ctx.logParts(selector, pipeline) };
}

function aggregate(ctx: LogParts, node: SyntaxNode): MetricExpr {
  const opNode = node.getChild('VectorOp')?.firstChild;
  const op = AGGREGATIONS[opNode?.name ?? ''];
  if (!op) throw ctx.unsupported(node, `the aggregation "${ctx.text(node.getChild('VectorOp') ?? node)}"`);
  const inner = node.getChild('MetricExpr');
  if (!inner || node.getChild('Number') || node.getChild('LiteralExpr')) throw ctx.unsupported(node);
  const g = node.getChild('Grouping');
  const grouping = g
    ? { mode: g.getChild('Without') ? ('without' as const) : ('by' as const), labels: collect(g, 'Identifier').map((i) => ctx.text(i)) }
    : undefined;
  return { kind: 'aggregate', op, grouping, inner: parseMetric(ctx, inner) };
}

/**
 * Grafana's grammar nests operator chains to the right without precedence
 * (`a * 2 + 1` comes out as `a * (2 + 1)`), so the chain is flattened and rebuilt with
 * Loki's precedence (`* /` over `+ -` over `and unless` over `or`, left-associative).
 * Parenthesised operands stay whole: they are a MetricExpr inside a MetricExpr.
 */
function binary(ctx: LogParts, node: SyntaxNode): MetricExpr {
  const operands: MetricExpr[] = [];
  const ops: (SetOp | ArithmeticOp)[] = [];
  const flatten = (bin: SyntaxNode): void => {
    const kids = children(bin);
    const exprs = kids.filter((k) => k.name === 'Expr');
    const opNode = kids.find((k) => k.name in BINARY_OPS);
    const modifier = bin.getChild('BinOpModifier');
    if (!opNode || exprs.length !== 2) throw ctx.unsupported(bin, `the operator in "${ctx.text(bin)}"`);
    if (modifier && modifier.to > modifier.from) throw ctx.unsupported(modifier, 'binary operator modifiers (on, ignoring, bool, group_*)');
    side(exprs[0]!);
    ops.push(BINARY_OPS[opNode.name]!);
    side(exprs[1]!);
  };
  const side = (e: SyntaxNode): void => {
    const m = e.firstChild;
    if (!m || m.name !== 'MetricExpr') throw ctx.unsupported(e, 'a log query as an operand');
    if (m.firstChild?.name === 'BinOpExpr') flatten(m.firstChild);
    else operands.push(parseMetric(ctx, m));
  };
  flatten(node);
  const level = (op: SetOp | ArithmeticOp) => (op === '*' || op === '/' ? 3 : op === '+' || op === '-' ? 2 : op === 'or' ? 0 : 1);
  // Precedence climbing: ops[pos] is the operator after operands[pos]; left-associative.
  let pos = 0;
  const climb = (min: number): MetricExpr => {
    let left = operands[pos]!;
    while (pos < ops.length && level(ops[pos]!) >= min) {
      const op = ops[pos]!;
      pos++;
      const right = climb(level(op) + 1);
      left = { kind: 'binary', op, left, right };
    }
    return left;
  };
  return climb(0);
}
