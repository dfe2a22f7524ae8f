import type { InfiniteData } from '@tanstack/react-query';

import { rolloutMatches, type RolloutEvent, type RolloutList, type RolloutSummary } from '@fleetdeck/shared';

import type { RolloutFilters } from '../../api/query-keys.ts';

// The page parameter (a cursor) is never read here.
export type RolloutPages = InfiniteData<RolloutList, unknown>;

/**
 * Patches a cached rollouts list (all its pages) with live events, in the order they
 * came: an upsert replaces the row where it is, or, new to this list, goes first; a
 * row that no longer matches the list's filters leaves it; a delete removes it.
 * Returns the same object when nothing changed, so nothing re-renders for nothing.
 */
export function applyRolloutEvents(data: RolloutPages, events: readonly RolloutEvent[], filters: RolloutFilters): RolloutPages {
  let pages = data.pages;
  for (const ev of events) {
    const id = ev.type === 'upsert' ? ev.rollout.id : ev.id;
    const keep = ev.type === 'upsert' && rolloutMatches(ev.rollout, filters) ? ev.rollout : undefined;
    const where = locate(pages, id);
    if (where) pages = replaceAt(pages, where, keep);
    else if (keep && pages.length > 0) pages = [{ ...pages[0]!, items: [keep, ...pages[0]!.items] }, ...pages.slice(1)];
  }
  return pages === data.pages ? data : { ...data, pages };
}

function locate(pages: readonly RolloutList[], id: string): { page: number; index: number } | undefined {
  for (const [page, p] of pages.entries()) {
    const index = p.items.findIndex((r) => r.id === id);
    if (index >= 0) return { page, index };
  }
  return undefined;
}

function replaceAt(
  pages: RolloutList[],
  { page, index }: { page: number; index: number },
  next: RolloutSummary | undefined,
): RolloutList[] {
  const items = [...pages[page]!.items];
  if (next) items[index] = next;
  else items.splice(index, 1);
  return pages.map((p, i) => (i === page ? { ...p, items } : p));
}

/** The list's rows across its pages, each once (a row inserted live may come again on a later page). */
export function flattenPages(data: RolloutPages): RolloutSummary[] {
  const seen = new Set<string>();
  const rows: RolloutSummary[] = [];
  for (const p of data.pages) {
    for (const r of p.items) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      rows.push(r);
    }
  }
  return rows;
}
