/**
 * Work counts of the violation views, for the bench: how many rows and cells a request
 * touched. Unlike times, they do not move with the machine's load, so a regression in
 * the algorithm shows even on a busy machine. Plain increments, cheap enough to keep on.
 */
export const violationWork = {
  /** Rows grouped and counted into a per-cluster index (once per change of a cluster). */
  indexedRows: 0,
  /** Rows sorted into a per-cluster run (once per cluster change and sort). */
  sortedRows: 0,
  /** Rows a page or a filtered count looked at. */
  visitedRows: 0,
  /** Precomputed counts (cells, namespaces) a summary combined. */
  mergedCounts: 0,
};

export function resetViolationWork(): void {
  violationWork.indexedRows = 0;
  violationWork.sortedRows = 0;
  violationWork.visitedRows = 0;
  violationWork.mergedCounts = 0;
}
