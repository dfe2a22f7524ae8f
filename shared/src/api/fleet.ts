import { z } from 'zod/mini';

import { Cluster } from '../model/cluster.ts';
import { PartialError } from '../model/common.ts';
import { PolicyViolation } from '../model/observability.ts';
import { int } from '../model/numbers.ts';

/** GET /api/fleet?selector=… : the selector syntax of selectors/selector.ts. */
export const FleetQuery = z.strictObject({ selector: z.optional(z.string().check(z.maxLength(2048))) });
export type FleetQuery = z.infer<typeof FleetQuery>;

/** GET /api/clusters/:name */
export const ClusterParams = z.strictObject({ name: z.string().check(z.minLength(1), z.maxLength(253)) });

/** GET /api/events?lastEventId=… (or the Last-Event-ID header, which wins). */
export const EventsQuery = z.strictObject({ lastEventId: z.optional(z.string().check(z.maxLength(64))) });

/** The `cluster` event of /api/events, as each person receives it. */
export const ClusterEvent = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['ADDED', 'MODIFIED']), cluster: Cluster }),
  z.object({ type: z.literal('DELETED'), name: z.string() }),
]);
export type ClusterEvent = z.infer<typeof ClusterEvent>;

/** GET /api/clusters/:name/workloads: what the person may see inside one cluster, read from that cluster as them. */
export const NamespaceWorkloads = z.object({
  namespace: z.string(),
  pods: z.object({ running: int(), pending: int(), failed: int(), other: int() }),
});
export const ClusterWorkloads = z.object({
  cluster: z.string(),
  namespaces: z.array(NamespaceWorkloads),
  /** Namespaces in scope whose pods the API server refused to show (its RBAC is the second wall). */
  forbidden: z.array(z.string()),
});
export type ClusterWorkloads = z.infer<typeof ClusterWorkloads>;

/** GET /api/fleet/rollouts: per visible cluster, the staged update runs that are not finished and include it. */
export const FleetRollouts = z.object({
  clusters: z.record(
    z.string(),
    z.array(
      z.object({
        run: z.string(),
        namespace: z.optional(z.string()),
        state: z.enum(['Progressing', 'Waiting', 'Stopped', 'Pending']),
        /** The rollout's id for GET /api/rollouts/:id; absent when the run is restricted. */
        id: z.optional(z.string()),
      }),
    ),
  ),
  errors: z.array(PartialError),
});
export type FleetRollouts = z.infer<typeof FleetRollouts>;

/** GET /api/clusters/:name/violations: Gatekeeper and Kyverno findings read from that cluster as the person. */
export const ClusterViolations = z.object({ items: z.array(PolicyViolation), errors: z.array(PartialError) });
export type ClusterViolations = z.infer<typeof ClusterViolations>;
