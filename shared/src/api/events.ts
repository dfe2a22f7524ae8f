import { z } from 'zod/mini';

import { RolloutId, RolloutSummary } from '../model/rollout.ts';
import { DeliveryEvent } from './deliveries.ts';
import { ClusterEvent } from './fleet.ts';
import { ViolationEvent } from './violations.ts';

/**
 * The Server-Sent Events of GET /api/events (one stream per browser tab, topics
 * multiplexed on it): each event name with the schema of its `data`. The BFF writes
 * exactly these; the web parses each event with its schema before it patches a cache.
 *
 * - `cluster`: an inventory change, as the person may see it (ClusterEvent, defined beside
 *   the fleet API for now).
 * - `rollout`: a rollout changed (`upsert`, as the person may see it, redacted the same
 *   way as GET /api/rollouts) or is gone for them (`delete`: removed, or no longer visible).
 * - `violation`: the violations of these clusters (only ones the person sees) changed: refetch.
 * - `delivery`: these GitRepos/Applications (only ones the person sees, or saw) changed or are gone: refetch.
 * - `ready`: the stream is live (sent after any replay of missed events).
 * - `resync`: the missed events are gone (too old, or another BFF process): refetch.
 */
export const RolloutEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('upsert'), rollout: RolloutSummary }),
  z.object({ type: z.literal('delete'), id: RolloutId }),
]);
export type RolloutEvent = z.infer<typeof RolloutEvent>;

export const ReadyEvent = z.object({});
export type ReadyEvent = z.infer<typeof ReadyEvent>;

export const ResyncEvent = z.object({});
export type ResyncEvent = z.infer<typeof ResyncEvent>;

export const liveEvents = {
  cluster: ClusterEvent,
  rollout: RolloutEvent,
  violation: ViolationEvent,
  delivery: DeliveryEvent,
  ready: ReadyEvent,
  resync: ResyncEvent,
} as const;

/** Every event name the stream carries. */
export type LiveEventName = keyof typeof liveEvents;
/** The topics a page can subscribe to: events that carry changes (not the stream's own markers). */
export type LiveTopic = Exclude<LiveEventName, 'ready' | 'resync'>;
/** The parsed payload of one topic's event. */
export type LiveEventData<N extends LiveEventName> = z.infer<(typeof liveEvents)[N]>;

export const LIVE_TOPICS: readonly LiveTopic[] = ['cluster', 'rollout', 'violation', 'delivery'];

/** Parses one event's `data` text with its schema; undefined when it is not JSON or does not match. */
export function parseLiveEvent<N extends LiveEventName>(name: N, data: string): LiveEventData<N> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = liveEvents[name].safeParse(json);
  return parsed.success ? (parsed.data as LiveEventData<N>) : undefined;
}
