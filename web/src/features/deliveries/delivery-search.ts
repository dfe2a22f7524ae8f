import { z } from 'zod/mini';

import { DeliveryEngine, DeliveryGroupBy, DeliverySort, DeliveryTone, type DeliveryFilters } from '@fleetdeck/shared';

import type { DeliveryListFilters } from '../../api/query-keys.ts';

const short = z.string().check(z.minLength(1), z.maxLength(253));
/** A search value that does not parse is dropped, not an error: an old or edited link still opens. */
const opt = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

/** The Deliveries page's state as it lives in the URL: every filter of the API, grouping and sort. */
export const DeliveriesSearch = z.object({
  engine: opt(DeliveryEngine),
  tenant: opt(short),
  cluster: opt(short),
  env: opt(short),
  tone: opt(DeliveryTone),
  q: opt(z.string().check(z.minLength(1), z.maxLength(200))),
  labels: opt(z.string().check(z.minLength(1), z.maxLength(1024))),
  group: opt(DeliveryGroupBy),
  sort: opt(DeliverySort),
});
export type DeliveriesSearch = z.infer<typeof DeliveriesSearch>;

export const FILTER_KEYS = [
  'engine',
  'tenant',
  'cluster',
  'env',
  'tone',
  'q',
  'labels',
] as const satisfies readonly (keyof DeliveryFilters)[];

/** The URL's filters as the API's (undefined ones left out, so equal filters make equal query keys). */
export function filtersOf(search: DeliveriesSearch): DeliveryFilters {
  const out: DeliveryFilters = {};
  for (const key of FILTER_KEYS) {
    const value = search[key];
    // Each value comes from the validated search, whose schema matches the API's own.
    if (value !== undefined) Object.assign(out, { [key]: value });
  }
  return out;
}

/** The list query: the filters, grouping and sort (the cursor is the page parameter). */
export function listQueryOf(search: DeliveriesSearch): DeliveryListFilters {
  return {
    ...filtersOf(search),
    ...(search.group && search.group !== 'none' && { group: search.group }),
    ...(search.sort && { sort: search.sort }),
  };
}

export const hasFilters = (search: DeliveriesSearch): boolean => FILTER_KEYS.some((k) => search[k] !== undefined);
