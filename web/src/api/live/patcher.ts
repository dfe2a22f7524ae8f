import type { LiveEventData, LiveTopic } from '@fleetdeck/shared';
import type { QueryClient } from '@tanstack/react-query';

/**
 * How one area keeps its cached queries live: which topic it follows, how a batch of
 * that topic's events patches the cache (setQueryData through the key factory), and
 * what to refetch when the stream lost history. Pure apart from the QueryClient, so
 * an area adds live updates by writing one of these, not stream code.
 */
export interface LivePatcher<T extends LiveTopic> {
  topic: T;
  apply(queryClient: QueryClient, events: LiveEventData<T>[]): void;
  resync(queryClient: QueryClient): Promise<void>;
}
