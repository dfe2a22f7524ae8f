import type { LivePatcher } from '../../api/live/patcher.ts';
import { queryKeys } from '../../api/query-keys.ts';

/**
 * A `delivery` event names the GitRepos/Applications that changed (only ones the person sees,
 * or saw). Lists and cluster sections are marked stale whatever the ids, because a change can
 * move a delivery into a filter it was not in (and changes the tone counts); the named
 * deliveries' detail pages refetch. Shown queries refetch in the background and keep their
 * rows on screen meanwhile; a detail that is gone answers 404, which its page shows.
 */
export const deliveriesPatcher: LivePatcher<'delivery'> = {
  topic: 'delivery',
  apply: (queryClient, events) => {
    const ids = new Set(events.flatMap((e) => e.ids));
    if (ids.size === 0) return;
    void queryClient.invalidateQueries({ queryKey: queryKeys.deliveries.lists() });
    void queryClient.invalidateQueries({ queryKey: queryKeys.deliveries.clusters() });
    for (const id of ids) void queryClient.invalidateQueries({ queryKey: queryKeys.deliveries.detail(id), exact: true });
  },
  resync: (queryClient) => queryClient.invalidateQueries({ queryKey: queryKeys.deliveries.all() }),
};
