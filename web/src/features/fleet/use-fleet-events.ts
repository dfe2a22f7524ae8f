import { ClusterEvent, apiPaths, type FleetTree } from '@fleetdeck/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { queryKeys } from '../../api/query-keys.ts';
import { applyClusterEvents } from './apply-events.ts';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'paused';

/**
 * One event stream per tab: cluster changes patch the fleet cache through the same
 * query key the page reads. Bursts are merged into one render per 100 ms; a hidden
 * tab closes the stream and resumes from the last event id when shown again; a
 * `resync` (history lost) refetches.
 */
export function useFleetEvents(): { state: LiveState; lastEventAt: number | undefined } {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const [lastEventAt, setLastEventAt] = useState<number>();

  useEffect(() => {
    let source: EventSource | undefined;
    let lastEventId: string | undefined;
    let pending: ClusterEvent[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;

    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      queryClient.setQueryData<FleetTree>(queryKeys.fleet.tree(), (old) => (old ? applyClusterEvents(old, batch) : old));
      setLastEventAt(Date.now());
    };
    const open = () => {
      const url = lastEventId ? `${apiPaths.events}?${new URLSearchParams({ lastEventId }).toString()}` : apiPaths.events;
      source = new EventSource(url, { withCredentials: true });
      source.addEventListener('ready', (e) => {
        lastEventId = e.lastEventId || lastEventId;
        setState('live');
      });
      source.addEventListener('cluster', (e) => {
        lastEventId = e.lastEventId || lastEventId;
        const parsed = ClusterEvent.safeParse(JSON.parse(e.data as string));
        if (!parsed.success) return;
        pending.push(parsed.data);
        flushTimer ??= setTimeout(flush, 100);
      });
      source.addEventListener('resync', (e) => {
        lastEventId = e.lastEventId || undefined;
        void queryClient.invalidateQueries({ queryKey: queryKeys.fleet.all() });
      });
      // EventSource reconnects by itself (with Last-Event-ID); we only report it.
      source.onerror = () => setState('reconnecting');
    };
    const onVisibility = () => {
      if (document.hidden) {
        source?.close();
        source = undefined;
        setState('paused');
      } else if (!source) {
        setState('connecting');
        open();
      }
    };
    open();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      clearTimeout(flushTimer);
      source?.close();
    };
  }, [queryClient]);

  return { state, lastEventAt };
}
