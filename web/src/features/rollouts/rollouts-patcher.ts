import type { LivePatcher } from '../../api/live/patcher.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { applyRolloutEvents, type RolloutPages } from './apply-rollout-events.ts';
import { filtersOfKey } from './rollout-filters.ts';

/**
 * Rollout changes patch every cached rollouts list (each by its own filters) and mark
 * the named rollouts' detail and readiness stale, so an open rollout page refetches it in the
 * background (an event carries a summary, not the waves). A rollout that is gone
 * answers 404 on that refetch, which its page shows as gone. A resync refetches all.
 */
export const rolloutsPatcher: LivePatcher<'rollout'> = {
  topic: 'rollout',
  apply: (queryClient, events) => {
    for (const [key, data] of queryClient.getQueriesData<RolloutPages>({ queryKey: queryKeys.rollouts.lists() })) {
      if (!data) continue;
      const filters = filtersOfKey(key);
      if (filters) queryClient.setQueryData<RolloutPages>(key, applyRolloutEvents(data, events, filters));
      else void queryClient.invalidateQueries({ queryKey: key, exact: true });
    }
    const ids = new Set(events.map((e) => (e.type === 'upsert' ? e.rollout.id : e.id)));
    for (const id of ids) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.rollouts.detail(id), exact: true });
      // Readiness is computed from the rollout's state: a change may change the verdict.
      void queryClient.invalidateQueries({ queryKey: queryKeys.rollouts.readinessOf(id) });
    }
  },
  resync: (queryClient) => queryClient.invalidateQueries({ queryKey: queryKeys.rollouts.all() }),
};
