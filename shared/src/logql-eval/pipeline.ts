import type { Labels, LogQuery } from './ast.ts';

/** What is left of an entry after the pipeline: its (possibly rewritten) line and labels. */
export interface Processed {
  line: string;
  /** The stream's own labels when there is no pipeline: read, never change. */
  labels: Labels;
}

/** Runs the query's pipeline over one entry of a stream; undefined when a stage drops it. */
export function runPipeline(q: LogQuery, streamLabels: Labels, line: string): Processed | undefined {
  if (q.stages.length === 0) return { line, labels: streamLabels };
  const labels = { ...streamLabels };
  let current: string | undefined = line;
  for (const stage of q.stages) {
    current = stage.run(current, labels);
    if (current === undefined) return undefined;
  }
  return { line: current, labels };
}

/** A stable key of a label set (sorted by name). */
export function labelsKey(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}
