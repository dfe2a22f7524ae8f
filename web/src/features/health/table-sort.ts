import type { FleetHealthPanel } from '@fleetdeck/shared';

export type TableRow = FleetHealthPanel['table'][number];
export type SortKey = 'cluster' | 'value';
export interface TableSort {
  by: SortKey;
  dir: 'asc' | 'desc';
}

/** Worst first: the order a panel's table opens in. */
export function worstFirst(worse: FleetHealthPanel['def']['worse']): TableSort {
  return { by: 'value', dir: worse === 'higher' ? 'desc' : 'asc' };
}

// One collator, built once: `localeCompare` sets up collation on every call, and a table
// of 1,000 clusters with equal values (all up) falls back to names about 10,000 times per sort.
const collator = new Intl.Collator('en');
const byName = (a: TableRow, b: TableRow) => collator.compare(a.cluster, b.cluster);

/** The rows in the chosen order; ties on value fall back to the cluster name, so the order is stable. */
export function sortRows(rows: readonly TableRow[], sort: TableSort): TableRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const compare = sort.by === 'cluster' ? byName : (a: TableRow, b: TableRow) => a.value - b.value || byName(a, b) * sign;
  return [...rows].sort((a, b) => compare(a, b) * sign);
}

/** Clicking a column: the same column flips direction; another starts at its natural order. */
export function nextSort(current: TableSort, by: SortKey, worse: FleetHealthPanel['def']['worse']): TableSort {
  if (current.by === by) return { by, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return by === 'cluster' ? { by, dir: 'asc' } : worstFirst(worse);
}
