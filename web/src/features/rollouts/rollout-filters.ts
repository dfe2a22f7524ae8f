import type { QueryKey } from '@tanstack/react-query';
import { z } from 'zod/mini';

import { RolloutListQuery, RolloutSourceKind, RolloutState } from '@fleetdeck/shared';

import type { RolloutFilters } from '../../api/query-keys.ts';

/**
 * The rollouts list's filters as they live in the URL, so a view can be shared by link.
 * A value that does not parse is dropped, not an error: an old link still opens.
 * (The router reads `?awaiting=true` as a boolean.)
 */
export const RolloutsSearch = z.object({
  state: z.catch(z.optional(RolloutState), undefined),
  tenant: z.catch(z.optional(z.string().check(z.minLength(1), z.maxLength(63))), undefined),
  source: z.catch(z.optional(RolloutSourceKind), undefined),
  awaiting: z.catch(z.optional(z.boolean()), undefined),
});
export type RolloutsSearch = z.infer<typeof RolloutsSearch>;

/** The URL's filters as the API's query (undefined ones left out, so equal filters make equal keys). */
export function listFilters(search: RolloutsSearch): RolloutFilters {
  return {
    ...(search.state && { state: search.state }),
    ...(search.tenant && { tenant: search.tenant }),
    ...(search.source && { source: search.source }),
    ...(search.awaiting !== undefined && { awaiting: search.awaiting ? 'true' : 'false' }),
  };
}

/** The filters a cached list query was made with (its key's third part); undefined if the key is not one of ours. */
export function filtersOfKey(key: QueryKey): RolloutFilters | undefined {
  const parsed = RolloutListQuery.safeParse(key[2]);
  return parsed.success ? parsed.data : undefined;
}
