/**
 * The data a time-series chart draws: one row per time (unix seconds), one key per
 * series. Keys are short ids (`w0`, `s1`), never cluster names, because the chart
 * library reads a dotted key as a path.
 */
export type ChartValue = number | [number, number] | null;
export type ChartRow = { t: number } & { [key: string]: ChartValue };

export interface ChartSeries {
  key: string;
  /** What the legend, the tooltip and the summary call it. */
  name: string;
  /** `band`: a shaded range between two values; `line`: one value; `median`: a dashed line. */
  kind: 'band' | 'line' | 'median';
  /** Index into the chart palette. */
  color: number;
}
