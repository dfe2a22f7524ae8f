/**
 * Where a range selector may be split per grant group: only at a call of one of these,
 * which map each input series to one output series with the same labels, so
 * `f(x{g1}[r]) or f(x{g2}[r])` is exactly `f(x{g1 ∪ g2}[r])` when no cluster is in two groups.
 */
export const SERIESWISE_RANGE_FUNCTIONS = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'changes',
  'resets',
  'predict_linear',
  'double_exponential_smoothing',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'quantile_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'last_over_time',
  'first_over_time',
  'present_over_time',
  'mad_over_time',
  'ts_of_first_over_time',
  'ts_of_last_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
]);
