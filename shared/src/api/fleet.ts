import { z } from 'zod';

import { Cluster } from '../model/cluster.ts';
import { PartialError } from '../model/common.ts';
import { PolicyViolation } from '../model/observability.ts';

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

/** GET /api/clusters/:name/workloads: what the person may see inside one cluster, read from that cluster as them. */
export const NamespaceWorkloads = z.object({
  namespace: z.string(),
  pods: z.object({ running: z.number().int(), pending: z.number().int(), failed: z.number().int(), other: z.number().int() }),
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
      z.object({ run: z.string(), namespace: z.string().optional(), state: z.enum(['Progressing', 'Waiting', 'Stopped', 'Pending']) }),
    ),
  ),
  errors: z.array(PartialError),
});
export type FleetRollouts = z.infer<typeof FleetRollouts>;

/** GET /api/clusters/:name/violations: Gatekeeper and Kyverno findings read from that cluster as the person. */
export const ClusterViolations = z.object({ items: z.array(PolicyViolation), errors: z.array(PartialError) });
export type ClusterViolations = z.infer<typeof ClusterViolations>;
