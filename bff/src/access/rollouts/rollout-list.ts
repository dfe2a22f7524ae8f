import { rolloutMatches, type RolloutListQuery, type RolloutSummary } from '@fleetdeck/shared';

/**
 * Filters, orders and pages one person's rollout rows. Order: awaiting this person's
 * approval first, then newest `createdAt` (rows without one last), then id. The cursor
 * is the last row's sort key, base64url-encoded: it names only a row the person saw.
 */
type SortKey = [awaitingYou: 0 | 1, createdAt: string, id: string];

export class BadCursor extends Error {
  override name = 'BadCursor';
}

function keyOf(r: RolloutSummary): SortKey {
  return [r.awaitingApproval?.canApprove ? 0 : 1, r.createdAt ?? '', r.id];
}

function compare(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  // Newest first; an empty createdAt (unknown) sorts after every real time.
  if (a[1] !== b[1]) {
    if (a[1] === '') return 1;
    if (b[1] === '') return -1;
    return a[1] < b[1] ? 1 : -1;
  }
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): SortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursor('cursor is not one this API gave out');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    (parsed[0] !== 0 && parsed[0] !== 1) ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string'
  ) {
    throw new BadCursor('cursor is not one this API gave out');
  }
  return parsed as SortKey;
}

export const DEFAULT_LIMIT = 100;

/** One page of the person's rows; throws BadCursor for a cursor that does not decode. */
export function pageOf(rows: readonly RolloutSummary[], q: RolloutListQuery): { items: RolloutSummary[]; nextCursor?: string } {
  const after = q.cursor !== undefined ? decodeCursor(q.cursor) : undefined;
  const limit = q.limit ?? DEFAULT_LIMIT;
  const sorted = rows
    .filter((r) => rolloutMatches(r, q))
    .map((r) => ({ r, key: keyOf(r) }))
    .filter((x) => after === undefined || compare(x.key, after) > 0)
    .sort((a, b) => compare(a.key, b.key));
  const items = sorted.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map((x) => x.r), ...(sorted.length > limit && last && { nextCursor: encodeCursor(last.key) }) };
}
