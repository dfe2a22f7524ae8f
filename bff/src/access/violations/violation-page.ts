import type { Violation, ViolationListQuery, ViolationSeverity } from '@fleetdeck/shared';

/**
 * Orders and pages one person's filtered rows. The cursor is the last row's sort key
 * (with the sort it belongs to), base64url-encoded: it names only a row the person saw.
 */
export class BadCursor extends Error {
  override name = 'BadCursor';
}

export type Sort = NonNullable<ViolationListQuery['sort']>;
export type Order = 'asc' | 'desc';
/** [sort, order, primary key, id]: the id breaks ties, so the order is total. */
export type CursorKey = [Sort, Order, string | number, string];

const SEVERITY_RANK: Record<ViolationSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4, unknown: 5 };
const SORTS: readonly Sort[] = ['severity', 'cluster', 'policy', 'namespace', 'lastSeen'];

export const DEFAULT_SORT: Sort = 'severity';
export const DEFAULT_LIMIT = 100;

/** Each sort's natural order when none is asked: worst first, newest first, else alphabetical. */
const defaultOrder = (sort: Sort): Order => (sort === 'lastSeen' ? 'desc' : 'asc');

export function primary(v: Violation, sort: Sort): string | number {
  switch (sort) {
    case 'severity':
      return SEVERITY_RANK[v.severity];
    case 'cluster':
      return v.cluster;
    case 'policy':
      return v.policy;
    case 'namespace':
      return v.resource.namespace ?? '';
    case 'lastSeen':
      return v.lastSeenAt ?? '';
  }
}

export const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** A sorted view of rows, ready for cursor pages (binary search, no re-sort per page). */
export interface SortedRows {
  sort: Sort;
  order: Order;
  rows: readonly Violation[];
  keys: readonly (string | number)[];
}

/** The sort and order a request means (defaults filled in). */
export function resolveSort(sortAsked?: Sort, orderAsked?: Order): { sort: Sort; order: Order } {
  const sort = sortAsked ?? DEFAULT_SORT;
  return { sort, order: orderAsked ?? defaultOrder(sort) };
}

export function sortRows(rows: readonly Violation[], sortAsked?: Sort, orderAsked?: Order): SortedRows {
  const { sort, order } = resolveSort(sortAsked, orderAsked);
  const sign = order === 'asc' ? 1 : -1;
  const keyed = rows.map((v) => ({ v, k: primary(v, sort) }));
  // The id always ascends, so pages are stable in either order.
  keyed.sort((a, b) => sign * cmp(a.k, b.k) || cmp(a.v.id, b.v.id));
  return { sort, order, rows: keyed.map((x) => x.v), keys: keyed.map((x) => x.k) };
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, sort: Sort, order: Order): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursor('cursor is not one this API gave out');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    !SORTS.includes(parsed[0] as Sort) ||
    (parsed[1] !== 'asc' && parsed[1] !== 'desc') ||
    (typeof parsed[2] !== 'string' && typeof parsed[2] !== 'number') ||
    typeof parsed[3] !== 'string'
  ) {
    throw new BadCursor('cursor is not one this API gave out');
  }
  if (parsed[0] !== sort || parsed[1] !== order)
    throw new BadCursor('cursor belongs to another sort order; start again from the first page');
  return parsed as CursorKey;
}

/** One page after the cursor; throws BadCursor for a cursor that does not decode or belongs to another order. */
export function pageOf(sorted: SortedRows, cursor: string | undefined, limitAsked?: number): { items: Violation[]; nextCursor?: string } {
  const limit = limitAsked ?? DEFAULT_LIMIT;
  const { rows, keys, sort, order } = sorted;
  const sign = order === 'asc' ? 1 : -1;
  let start = 0;
  if (cursor !== undefined) {
    const [, , k, id] = decodeCursor(cursor, sort, order);
    // First row strictly after (k, id) in this order.
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = sign * cmp(keys[mid]!, k) || cmp(rows[mid]!.id, id);
      if (c <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = rows.slice(start, start + limit);
  const last = items.at(-1);
  const more = start + limit < rows.length;
  return { items, ...(more && last && { nextCursor: encodeCursor([sort, order, keys[start + items.length - 1]!, last.id]) }) };
}
