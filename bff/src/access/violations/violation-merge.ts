import type { Violation } from '@fleetdeck/shared';

import { cmp, encodeCursor, type Order, type Sort, type SortedRows } from './violation-page.ts';
import { violationWork } from './violation-work.ts';

/** One cluster's sorted rows and which of them the person may see under the filters (undefined: all). */
export interface Run {
  sorted: SortedRows;
  keep: ((v: Violation) => boolean) | undefined;
}

/** A run's next row: its key and id copied out, so the heap compares two heads without reaching into the runs. */
interface Head {
  run: Run;
  i: number;
  k: string | number;
  id: string;
}

/** Index of the first row strictly after (k, id) in the run's order (binary search). */
function firstAfter(sorted: SortedRows, sign: number, k: string | number, id: string): number {
  const { rows, keys } = sorted;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = sign * cmp(keys[mid]!, k) || cmp(rows[mid]!.id, id);
    if (c <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Moves a head to its next row the person keeps; false when the run is done. */
function settle(h: Head): boolean {
  const { rows, keys } = h.run.sorted;
  const keep = h.run.keep;
  while (h.i < rows.length) {
    violationWork.visitedRows++;
    const v = rows[h.i]!;
    if (!keep || keep(v)) {
      h.k = keys[h.i]!;
      h.id = v.id;
      return true;
    }
    h.i++;
  }
  return false;
}

const head = (run: Run, i: number): Head => ({ run, i, k: '', id: '' });

/**
 * The rows of many per-cluster runs in one order (the same total order as `sortRows`
 * over all of them: primary key, then id), starting after a cursor: a k-way merge with a
 * binary heap. A page of n touches n rows plus one binary search per cluster, instead of
 * filtering and sorting every row of the fleet.
 */
export function* mergeRuns(
  runs: readonly Run[],
  order: Order,
  after?: { k: string | number; id: string },
): Generator<[Violation, string | number]> {
  const sign = order === 'asc' ? 1 : -1;
  const byKey = distinctKeyRuns(runs, sign);
  if (byKey) {
    yield* concatRuns(byKey, sign, after);
    return;
  }
  // Keys ascend or descend with the order; ids always ascend (the total order of `sortRows`).
  const less =
    sign > 0
      ? (a: Head, b: Head) => (a.k === b.k ? a.id < b.id : a.k < b.k)
      : (a: Head, b: Head) => (a.k === b.k ? a.id < b.id : a.k > b.k);
  const heap: Head[] = [];
  const down = (j: number) => {
    for (;;) {
      const l = 2 * j + 1;
      const r = l + 1;
      let m = j;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === j) return;
      const t = heap[j]!;
      heap[j] = heap[m]!;
      heap[m] = t;
      j = m;
    }
  };
  for (const run of runs) {
    const h = head(run, after ? firstAfter(run.sorted, sign, after.k, after.id) : 0);
    if (settle(h)) heap.push(h);
  }
  // Heapify bottom-up: linear in the number of runs (a thousand clusters), not n log n.
  for (let j = (heap.length >> 1) - 1; j >= 0; j--) down(j);
  while (heap.length > 0) {
    const top = heap[0]!;
    yield [top.run.sorted.rows[top.i]!, top.k];
    top.i++;
    if (settle(top)) down(0);
    else {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    }
  }
}

/**
 * The runs in key order when each holds a single key and no two share one (sorting by
 * cluster: a run is one cluster), else undefined. Then the merge is a concatenation.
 */
function distinctKeyRuns(runs: readonly Run[], sign: number): Run[] | undefined {
  const ordered: Run[] = [];
  for (const run of runs) {
    const { keys } = run.sorted;
    if (keys.length === 0) continue;
    if (keys[0] !== keys[keys.length - 1]) return undefined;
    ordered.push(run);
  }
  // The views hand runs over in cluster-name order: then checking the order is all there is to do.
  const inOrder = (list: Run[]) => {
    for (let i = 1; i < list.length; i++) if (sign * cmp(list[i - 1]!.sorted.keys[0]!, list[i]!.sorted.keys[0]!) >= 0) return false;
    return true;
  };
  if (inOrder(ordered)) return ordered;
  ordered.sort((a, b) => sign * cmp(a.sorted.keys[0]!, b.sorted.keys[0]!));
  return inOrder(ordered) ? ordered : undefined;
}

/** The concatenation of runs already in key order, each from its first row after the cursor: the heap's order, without a comparison per row. */
function* concatRuns(
  ordered: readonly Run[],
  sign: number,
  after?: { k: string | number; id: string },
): Generator<[Violation, string | number]> {
  for (const run of ordered) {
    const h = head(run, after ? firstAfter(run.sorted, sign, after.k, after.id) : 0);
    while (settle(h)) {
      yield [run.sorted.rows[h.i]!, run.sorted.keys[h.i]!];
      h.i++;
    }
  }
}

/** One page of the merged runs after the cursor, with the next cursor when more rows follow. */
export function mergePage(
  runs: readonly Run[],
  sort: Sort,
  order: Order,
  after: { k: string | number; id: string } | undefined,
  limit: number,
): { items: Violation[]; nextCursor?: string } {
  const items: Violation[] = [];
  let lastKey: string | number = '';
  let more = false;
  for (const [v, k] of mergeRuns(runs, order, after)) {
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(v);
    lastKey = k;
  }
  const last = items.at(-1);
  return { items, ...(more && last && { nextCursor: encodeCursor([sort, order, lastKey, last.id]) }) };
}
