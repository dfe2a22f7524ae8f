import type { LiveTopic } from '@fleetdeck/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';

import type { LiveState } from './live-connection.ts';
import { liveConnection } from './live-stream.ts';
import type { LivePatcher } from './patcher.ts';

/**
 * Keeps an area's cache live while the calling component is mounted: subscribes its
 * patcher to the tab's one stream. Returns the connection state for a live badge.
 */
export function useLivePatcher<T extends LiveTopic>(patcher: LivePatcher<T>): { state: LiveState; lastEventAt: number | undefined } {
  const queryClient = useQueryClient();
  const connection = liveConnection();
  useEffect(
    () =>
      connection.subscribe(patcher.topic, {
        onBatch: (events) => patcher.apply(queryClient, events),
        onResync: () => void patcher.resync(queryClient),
      }),
    [connection, patcher, queryClient],
  );
  return useSyncExternalStore(connection.onChange, connection.getSnapshot);
}
