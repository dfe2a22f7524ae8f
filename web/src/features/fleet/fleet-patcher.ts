import type { FleetTree } from '@fleetdeck/shared';

import type { LivePatcher } from '../../api/live/patcher.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { applyClusterEvents } from './apply-events.ts';

/** Cluster changes patch the cached fleet tree; a resync refetches everything fleet. */
export const fleetPatcher: LivePatcher<'cluster'> = {
  topic: 'cluster',
  apply: (queryClient, events) =>
    queryClient.setQueryData<FleetTree>(queryKeys.fleet.tree(), (old) => (old ? applyClusterEvents(old, events) : old)),
  resync: (queryClient) => queryClient.invalidateQueries({ queryKey: queryKeys.fleet.all() }),
};
