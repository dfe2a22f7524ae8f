import { queryOptions } from '@tanstack/react-query';

import { Inbox, apiPaths, type RolloutEvent } from '@fleetdeck/shared';

import { getJson } from '../../api/client.ts';
import type { LivePatcher } from '../../api/live/patcher.ts';
import { queryKeys } from '../../api/query-keys.ts';

/** The gates waiting for this person: polled (the BFF computes it per person), and refetched on rollout events. */
export const inboxQuery = () =>
  queryOptions({
    queryKey: queryKeys.inbox(),
    queryFn: ({ signal }) => getJson(apiPaths.inbox, Inbox, signal),
    refetchInterval: 30_000,
  });

/**
 * Whether these events can change the inbox: a rollout now waiting for this person (the
 * summary says so), or one the inbox lists (its gate may have closed, or it is gone). A
 * busy fleet's other rollouts move all the time; they do not refetch it.
 */
export function inboxAffected(inbox: Inbox | undefined, events: readonly RolloutEvent[]): boolean {
  if (!inbox) return true;
  const listed = new Set(inbox.items.map((i) => i.rolloutId));
  return events.some((e) =>
    e.type === 'delete' ? listed.has(e.id) : listed.has(e.rollout.id) || e.rollout.awaitingApproval?.canApprove === true,
  );
}

/** Refetches the inbox when a rollout event can change it (events carry no per-person inbox). */
export const inboxPatcher: LivePatcher<'rollout'> = {
  topic: 'rollout',
  apply: (queryClient, events) => {
    if (inboxAffected(queryClient.getQueryData<Inbox>(queryKeys.inbox()), events)) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.inbox(), exact: true });
    }
  },
  resync: (queryClient) => queryClient.invalidateQueries({ queryKey: queryKeys.inbox(), exact: true }),
};
