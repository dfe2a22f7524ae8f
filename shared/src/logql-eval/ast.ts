/** The evaluator's query model: what parse.ts builds from Grafana's LogQL grammar. */

export type Labels = Readonly<Record<string, string>>;

export type MatchOp = '=' | '!=' | '=~' | '!~';

/** A stream-selector matcher (also a label filter after a parser). A missing label reads as "". */
export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  test(value: string | undefined): boolean;
}

export type LineFilterOp = '|=' | '!=' | '|~' | '!~';

/** One pipeline stage: the line and labels in, the changed line and labels out, or undefined to drop the entry. */
export interface Stage {
  readonly kind: 'line_filter' | 'json' | 'logfmt' | 'label_filter' | 'line_format' | 'label_format' | 'drop' | 'keep';
  /** `labels` is this entry's own copy; a stage may change it in place. */
  run(line: string, labels: Record<string, string>): string | undefined;
}

export interface LogQuery {
  readonly kind: 'log';
  readonly matchers: readonly LabelMatcher[];
  readonly stages: readonly Stage[];
}

export type RangeFn = 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate';
export type AggregationOp = 'sum' | 'count' | 'avg' | 'min' | 'max';
export type ArithmeticOp = '+' | '-' | '*' | '/';
export type SetOp = 'or' | 'and' | 'unless';

export type MetricExpr =
  | { readonly kind: 'range'; readonly fn: RangeFn; readonly rangeNs: bigint; readonly log: LogQuery }
  | {
      readonly kind: 'aggregate';
      readonly op: AggregationOp;
      /** by: keep these labels; without: drop these; none: one series. */
      readonly grouping: { readonly mode: 'by' | 'without'; readonly labels: readonly string[] } | undefined;
      readonly inner: MetricExpr;
    }
  | { readonly kind: 'binary'; readonly op: SetOp | ArithmeticOp; readonly left: MetricExpr; readonly right: MetricExpr }
  | { readonly kind: 'scalar'; readonly value: number };

export type Query = LogQuery | { readonly kind: 'metric'; readonly expr: MetricExpr };
