import { worstFirst, type FleetHealthPanel, type HealthTableSort, type HealthTableSortKey } from '@fleetdeck/shared';

/** Clicking a column: the same column flips direction; another starts at its natural order (names A to Z, values worst first). */
export function nextSort(current: HealthTableSort, by: HealthTableSortKey, worse: FleetHealthPanel['def']['worse']): HealthTableSort {
  if (current.by === by) return { by, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return by === 'cluster' ? { by, dir: 'asc' } : worstFirst(worse);
}
