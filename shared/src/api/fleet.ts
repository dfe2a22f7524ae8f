import { z } from 'zod';

import { Cluster } from '../model/cluster.ts';

/** GET /api/fleet?selector=… : the selector syntax of selectors/selector.ts. */
export const FleetQuery = z.strictObject({ selector: z.string().max(2048).optional() });
export type FleetQuery = z.infer<typeof FleetQuery>;

/** GET /api/clusters/:name */
export const ClusterParams = z.strictObject({ name: z.string().min(1).max(253) });

/** GET /api/events?lastEventId=… (or the Last-Event-ID header, which wins). */
export const EventsQuery = z.strictObject({ lastEventId: z.string().max(64).optional() });

/** The `cluster` event of /api/events, as each person receives it. */
export const ClusterEvent = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['ADDED', 'MODIFIED']), cluster: Cluster }),
  z.object({ type: z.literal('DELETED'), name: z.string() }),
]);
export type ClusterEvent = z.infer<typeof ClusterEvent>;
