import type { DeliveryGroupBy, DeliveryRow, DeliverySort } from '@fleetdeck/shared';

/**
 * Orders and pages one person's delivery rows. A row's key is (group, sort key, name, id),
 * a total order; the cursor is the last row's key with the order it belongs to,
 * base64url-encoded: it names only a delivery the person saw, and a page after a change
 * still starts right after it.
 */
export class BadCursor extends Error {
  override name = 'BadCursor';
}

export type RowKey = [string, number, string, string];
export interface SortedRows {
  group: DeliveryGroupBy;
  sort: DeliverySort;
  rows: readonly DeliveryRow[];
  keys: readonly RowKey[];
}

export const DEFAULT_LIMIT = 100;
const GROUPS: readonly DeliveryGroupBy[] = ['none', 'tenant', 'repo', 'cluster'];
const SORTS: readonly DeliverySort[] = ['status', 'name', 'lastSync'];
// Rows without a group (no tenant, a delivery on no cluster) come after the groups.
const NO_GROUP = '\uffff';
// Never synced sorts after every time when newest comes first.
const NEVER = Number.MAX_SAFE_INTEGER;

function keyOf(row: DeliveryRow, sort: DeliverySort): RowKey {
  const d = row.delivery;
  let primary = 0;
  if (sort === 'status') primary = -d.status.rank;
  else if (sort === 'lastSync') primary = d.lastSyncAt === undefined ? NEVER : -Date.parse(d.lastSyncAt);
  return [row.group ?? NO_GROUP, primary, d.name, d.id];
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
export const cmpKey = (a: RowKey, b: RowKey) => cmp(a[0], b[0]) || cmp(a[1], b[1]) || cmp(a[2], b[2]) || cmp(a[3], b[3]);

export function sortRows(rows: readonly DeliveryRow[], group: DeliveryGroupBy, sort: DeliverySort): SortedRows {
  const keyed = rows.map((row) => ({ row, key: keyOf(row, sort) }));
  keyed.sort((a, b) => cmpKey(a.key, b.key));
  return { group, sort, rows: keyed.map((x) => x.row), keys: keyed.map((x) => x.key) };
}

export function encodeCursor(group: DeliveryGroupBy, sort: DeliverySort, key: RowKey): string {
  return Buffer.from(JSON.stringify([group, sort, ...key])).toString('base64url');
}

export function decodeCursor(cursor: string, group: DeliveryGroupBy, sort: DeliverySort): RowKey {
  let p: unknown;
  try {
    p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursor('cursor is not one this API gave out');
  }
  if (
    !Array.isArray(p) ||
    p.length !== 6 ||
    !GROUPS.includes(p[0] as DeliveryGroupBy) ||
    !SORTS.includes(p[1] as DeliverySort) ||
    typeof p[2] !== 'string' ||
    typeof p[3] !== 'number' ||
    typeof p[4] !== 'string' ||
    typeof p[5] !== 'string'
  )
    throw new BadCursor('cursor is not one this API gave out');
  if (p[0] !== group || p[1] !== sort) throw new BadCursor('cursor belongs to another grouping or order; start again from the first page');
  return [p[2], p[3], p[4], p[5]];
}

/** One page after the cursor (binary search, no re-sort). Throws BadCursor. */
export function pageOf(
  sorted: SortedRows,
  cursor: string | undefined,
  limit = DEFAULT_LIMIT,
): { items: DeliveryRow[]; nextCursor?: string } {
  const { rows, keys } = sorted;
  let start = 0;
  if (cursor !== undefined) {
    const after = decodeCursor(cursor, sorted.group, sorted.sort);
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpKey(keys[mid]!, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = rows.slice(start, start + limit);
  const more = start + limit < rows.length;
  return {
    items,
    ...(more && items.length > 0 && { nextCursor: encodeCursor(sorted.group, sorted.sort, keys[start + items.length - 1]!) }),
  };
}
