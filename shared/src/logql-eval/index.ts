/**
 * The one LogQL evaluator of the project: the testbed's Loki-API stand-in and the demo
 * fleet's log source both run queries through it. Not exported from `@fleetdeck/shared`'s
 * index (the web bundle must not carry it): import `@fleetdeck/shared/logql-eval`.
 */
export type { LabelMatcher, Labels, LogQuery, MetricExpr, Query, Stage } from './ast.ts';
export { LogQLError } from './errors.ts';
export { parseLogQL } from './parse.ts';
export { runPipeline, labelsKey, type Processed } from './pipeline.ts';
export { selectLogs, tailStreams, type StreamResult } from './select.ts';
export { evaluateMetric } from './metric.ts';
export type { LokiStats, Tally } from './stats.ts';
export { streamMatches, type Direction, type Entry, type LogStore, type StoredStream } from './store.ts';
export {
  DEFAULT_READ_BUDGET,
  MAX_POINTS,
  evaluateInstant,
  evaluateRange,
  formatValue,
  labelNames,
  labelValues,
  matchingLabelSets,
  newTally,
  parseSelector,
  stepNs,
  type EvalOptions,
  type MatrixResult,
  type QueryResultData,
  type VectorResult,
} from './envelope.ts';
export { ArrayStream } from './array-stream.ts';
