import type { LivePatcher } from '../../api/live/patcher.ts';
import { queryKeys } from '../../api/query-keys.ts';

/**
 * A `violation` event names clusters whose violations changed, not the rows: every
 * cached list, summary and coverage is marked stale and the shown ones refetch in the
 * background. React Query keeps the old answer on screen meanwhile, so nothing flickers.
 * Trends come from Prometheus and keep their own polling.
 */
export const violationsPatcher: LivePatcher<'violation'> = {
  topic: 'violation',
  apply: (queryClient, events) => {
    if (!events.some((e) => e.clusters.length > 0)) return;
    for (const queryKey of [queryKeys.violations.lists(), queryKeys.violations.summaries(), queryKeys.violations.coverages()]) {
      void queryClient.invalidateQueries({ queryKey });
    }
  },
  resync: (queryClient) => queryClient.invalidateQueries({ queryKey: queryKeys.violations.all() }),
};
