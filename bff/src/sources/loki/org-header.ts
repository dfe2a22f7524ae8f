import type { OrgIds } from './loki-api.ts';

/** What Loki accepts as one tenant id (no `|`: that joins several). */
const ORG_ID = /^[A-Za-z0-9!._*'()-]{1,150}$/;

/**
 * The X-Scope-OrgID value for these org ids: undefined for a single-tenant Loki (no
 * header), else the ids, unique and sorted, joined with `|`. `null` when the list is
 * empty or holds a malformed id: the caller must not call Loki at all (fail closed: an
 * empty header would mean "some other tenant" or none).
 */
export function orgIdHeader(orgIds: OrgIds): string | undefined | null {
  if (orgIds === undefined) return undefined;
  if (orgIds.length === 0 || !orgIds.every((o) => ORG_ID.test(o))) return null;
  return [...new Set(orgIds)].sort().join('|');
}
