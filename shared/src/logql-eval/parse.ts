import type { SyntaxNode } from '@lezer/common';
import { parser } from '@grafana/lezer-logql';

import type { LabelMatcher, LogQuery, MatchOp, Query, Stage } from './ast.ts';
import { LogQLError } from './errors.ts';
import { ERROR_DETAILS_LABEL, ERROR_LABEL, parseJsonInto, parseLogfmtInto } from './parsers.ts';
import { containsMatcher, fullMatcher } from './regex.ts';
import { children, collect, unquote } from './syntax.ts';
import { compileTemplate } from './template.ts';
import { parseMetric, type LogParts } from './parse-metric.ts';

/**
 * LogQL text → the evaluator's model, parsed with Grafana's own grammar
 * (@grafana/lezer-logql). A tree with an error node, or anything outside the subset
 * below, is refused with a LogQLError that says what is not supported:
 *
 * - stream selectors with `=`, `!=`, `=~`, `!~` (at least one matcher that "" fails);
 * - line filters `|=`, `!=`, `|~`, `!~`, chained, with `or` alternatives;
 * - `| json`, `| logfmt` (no parameters or flags), label filters after them (string
 *   matchers, numbers with `== != > >= < <=`, joined with `and`/`or`/`,`/parentheses),
 *   `| line_format`, `| label_format` (field substitution only), `| drop` / `| keep` of names;
 * - metric queries: `count_over_time`, `rate`, `bytes_over_time`, `bytes_rate` over
 *   `[range]`, under `sum`/`count`/`avg`/`min`/`max` with optional `by`/`without`, joined
 *   with `or`/`and`/`unless` or `+ - * /` (no `on`/`ignoring`/`bool` modifiers), and numbers.
 */
export function parseLogQL(query: string): Query {
  if (query.trim() === '') throw new LogQLError('the query is empty');
  const tree = parser.parse(query);
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) {
        const near = query.slice(Math.max(0, n.from - 10), n.from + 10);
        throw new LogQLError(`parse error at position ${n.from} (near ${JSON.stringify(near)})`, n.from);
      }
    },
  });
  const exprs = tree.topNode.getChildren('Expr');
  if (exprs.length !== 1 || !exprs[0]!.firstChild) throw new LogQLError('the query is not one LogQL expression');
  return new Builder(query).query(exprs[0]!.firstChild);
}

const MATCH_OPS: Record<string, MatchOp> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };
const FILTER_OPS: Record<string, '|=' | '!=' | '|~' | '!~'> = { PipeExact: '|=', Neq: '!=', PipeMatch: '|~', Nre: '!~' };
const NUMBER_OPS: Record<string, (a: number, b: number) => boolean> = {
  Eql: (a, b) => a === b,
  Neq: (a, b) => a !== b,
  Gtr: (a, b) => a > b,
  Gte: (a, b) => a >= b,
  Lss: (a, b) => a < b,
  Lte: (a, b) => a <= b,
};

type LabelPredicate = (labels: Record<string, string>) => boolean;

class Builder {
  readonly #q: string;
  /** The metric part (parse-metric.ts) reaches the log-query parser through this. */
  readonly #parts: LogParts = {
    text: (n) => this.#text(n),
    unsupported: (n, what) => this.#unsupported(n, what),
    logParts: (selector, pipeline) => this.#logParts(selector, pipeline),
  };
  constructor(query: string) {
    this.#q = query;
  }

  #text(n: SyntaxNode): string {
    return this.#q.slice(n.from, n.to);
  }

  #unsupported(n: SyntaxNode, what?: string): LogQLError {
    const text = this.#text(n);
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    return new LogQLError(`${what ?? `"${shown}"`} is not supported by this LogQL evaluator (see its documented subset)`, n.from);
  }

  #string(n: SyntaxNode): string {
    return unquote(this.#text(n), n.from);
  }

  query(node: SyntaxNode): Query {
    if (node.name === 'LogExpr') return this.#log(node);
    if (node.name === 'MetricExpr') return { kind: 'metric', expr: parseMetric(this.#parts, node) };
    throw this.#unsupported(node);
  }

  #log(node: SyntaxNode): LogQuery {
    const selector = node.getChild('Selector');
    // A parenthesised log expression, `({a="b"} |= "x")`, nests another LogExpr.
    if (!selector) {
      const inner = node.getChild('LogExpr');
      if (inner) return this.#log(inner);
      throw this.#unsupported(node);
    }
    return this.#logParts(selector, node.getChild('PipelineExpr'));
  }

  #logParts(selector: SyntaxNode, pipeline: SyntaxNode | null): LogQuery {
    const matchers = collect(selector, 'Matcher').map((m) => this.#matcher(m));
    if (!matchers.some((m) => !m.test('')))
      throw new LogQLError('queries require at least one matcher that does not match the empty string', selector.from);
    const stages = pipeline ? collect(pipeline, 'PipelineStage').map((s) => this.#stage(s)) : [];
    return { kind: 'log', matchers, stages };
  }

  #matcher(m: SyntaxNode): LabelMatcher {
    const id = m.getChild('Identifier');
    const opNode = children(m).find((c) => c.name in MATCH_OPS);
    const str = m.getChild('String');
    if (!id || !opNode || !str) throw this.#unsupported(m);
    const name = this.#text(id);
    const op = MATCH_OPS[opNode.name]!;
    const value = this.#string(str);
    let test: (v: string) => boolean;
    if (op === '=') test = (v) => v === value;
    else if (op === '!=') test = (v) => v !== value;
    else {
      const re = fullMatcher(value);
      test = op === '=~' ? re : (v) => !re(v);
    }
    return { name, op, value, test: (v) => test(v ?? '') };
  }

  #stage(stage: SyntaxNode): Stage {
    const body = children(stage).find((c) => c.name !== 'Pipe');
    if (!body) throw this.#unsupported(stage);
    switch (body.name) {
      case 'LineFilters':
        return this.#lineFilters(body);
      case 'LabelParser': {
        const kind = body.firstChild?.name;
        if (kind === 'Json' && !body.firstChild?.nextSibling) return { kind: 'json', run: (line, l) => (parseJsonInto(line, l), line) };
        throw this.#unsupported(body, `the "${this.#text(body)}" parser`);
      }
      case 'LogfmtParser':
        if (body.getChild('LogfmtParserFlags')) throw this.#unsupported(body, 'logfmt flags');
        return { kind: 'logfmt', run: (line, l) => (parseLogfmtInto(line, l), line) };
      case 'LabelFilter': {
        const test = this.#labelFilter(body);
        return { kind: 'label_filter', run: (line, l) => (test(l) ? line : undefined) };
      }
      case 'LineFormatExpr': {
        const str = body.getChild('String');
        if (!str) throw this.#unsupported(body);
        const tpl = compileTemplate(this.#string(str), str.from);
        return { kind: 'line_format', run: (line, l) => tpl(l, line) };
      }
      case 'LabelFormatExpr':
        return this.#labelFormat(body);
      case 'DropLabelsExpr':
      case 'KeepLabelsExpr': {
        const keep = body.name === 'KeepLabelsExpr';
        const items = collect(body, keep ? 'KeepLabel' : 'DropLabel');
        if (items.some((i) => i.getChild('Matcher') || !i.getChild('Identifier')))
          throw this.#unsupported(body, `${keep ? 'keep' : 'drop'} with matchers`);
        const names = new Set(items.map((i) => this.#text(i.getChild('Identifier')!)));
        return {
          kind: keep ? 'keep' : 'drop',
          run: (line, l) => {
            for (const k of Object.keys(l)) if (names.has(k) !== keep) delete l[k];
            return line;
          },
        };
      }
      default:
        throw this.#unsupported(body);
    }
  }

  #lineFilters(node: SyntaxNode): Stage {
    const tests: ((line: string) => boolean)[] = collect(node, 'LineFilter').map((f) => {
      const opName = f.getChild('Filter')?.firstChild?.name;
      const op = opName ? FILTER_OPS[opName] : undefined;
      if (!op) throw this.#unsupported(f);
      // `|= "a" or "b"`: the first String and each OrFilter's.
      const values = collect(f, 'String').map((s) => this.#string(s));
      if (values.length === 0 || collect(f, 'FilterOp').length > 0) throw this.#unsupported(f);
      const positive = op === '|=' || op === '|~';
      const preds = values.map((v) => (op === '|=' || op === '!=' ? (line: string) => line.includes(v) : containsMatcher(v)));
      const any = (line: string) => preds.some((p) => p(line));
      return positive ? any : (line: string) => !any(line);
    });
    return { kind: 'line_filter', run: (line) => (tests.every((t) => t(line)) ? line : undefined) };
  }

  #labelFilter(node: SyntaxNode): LabelPredicate {
    const kids = children(node);
    const subs = kids.filter((k) => k.name === 'LabelFilter');
    if (subs.length === 1 && kids.length === 1) return this.#labelFilter(subs[0]!); // parentheses
    if (subs.length === 2) {
      const left = this.#labelFilter(subs[0]!);
      const right = this.#labelFilter(subs[1]!);
      return kids.some((k) => k.name === 'Or') ? (l) => left(l) || right(l) : (l) => left(l) && right(l);
    }
    const leaf = kids[0];
    if (!leaf || kids.length !== 1) throw this.#unsupported(node);
    if (leaf.name === 'Matcher') {
      const m = this.#matcher(leaf);
      return (l) => m.test(l[m.name]);
    }
    if (leaf.name === 'NumberFilter') {
      const id = leaf.getChild('Identifier');
      const opNode = children(leaf).find((c) => c.name in NUMBER_OPS);
      const lit = leaf.getChild('LiteralExpr');
      const bound = lit ? Number(this.#text(lit).replace(/\s+/g, '')) : NaN;
      if (!id || !opNode || !Number.isFinite(bound)) throw this.#unsupported(leaf);
      const name = this.#text(id);
      const cmp = NUMBER_OPS[opNode.name]!;
      return (l) => {
        const raw = l[name];
        // Loki: a missing label fails the filter (passes `!=`); a value that is not a number
        // keeps the line and marks it with __error__, for `| __error__=""` to drop.
        if (raw === undefined) return opNode.name === 'Neq';
        const v = Number(raw);
        if (raw.trim() === '' || Number.isNaN(v)) {
          l[ERROR_LABEL] = 'LabelFilterErr';
          l[ERROR_DETAILS_LABEL] = `${name}: ${JSON.stringify(raw)} is not a number`;
          return true;
        }
        return cmp(v, bound);
      };
    }
    throw this.#unsupported(leaf, `the label filter "${this.#text(leaf)}" (durations, bytes and ip() are not)`);
  }

  #labelFormat(node: SyntaxNode): Stage {
    const ops = collect(node, 'LabelFormatMatcher').map((m) => {
      const ids = m.getChildren('Identifier');
      const str = m.getChild('String');
      if (!ids[0] || !m.getChild('Eq')) throw this.#unsupported(m);
      const target = this.#text(ids[0]);
      if (str) return { target, template: compileTemplate(this.#string(str), str.from), rename: undefined };
      if (!ids[1]) throw this.#unsupported(m);
      return { target, template: undefined, rename: this.#text(ids[1]) };
    });
    return {
      kind: 'label_format',
      run: (line, l) => {
        // Every template reads the labels as they were before this stage.
        const before = { ...l };
        for (const op of ops) {
          if (op.template) l[op.target] = op.template(before, line);
          else if (op.rename !== undefined && op.rename !== op.target) {
            const v = before[op.rename];
            delete l[op.rename];
            if (v === undefined) delete l[op.target];
            else l[op.target] = v;
          }
        }
        return line;
      },
    };
  }
}
