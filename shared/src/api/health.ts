import { z } from 'zod/mini';

import { IsoTime, PartialError } from '../model/common.ts';
import { HealthPanel } from '../model/observability.ts';
import { count } from '../model/numbers.ts';

/** The at-a-glance health of one cluster, from Prometheus/Thanos. A missing field means no data. */
export const ClusterHealth = z.object({
  apiUp: z.optional(z.boolean()),
  nodesReady: z.optional(count()),
  nodesTotal: z.optional(count()),
  podHealthRatio: z.optional(z.number().check(z.gte(0), z.lte(1))),
  violations: z.optional(count()),
});
export type ClusterHealth = z.infer<typeof ClusterHealth>;

/** GET /api/fleet/health: one entry per cluster the caller may see. */
export const FleetHealth = z.object({
  clusters: z.record(z.string(), ClusterHealth),
  at: IsoTime,
  errors: z.array(PartialError),
});
export type FleetHealth = z.infer<typeof FleetHealth>;

/** GET /api/clusters/:name/health?range=6h: the health panels of one cluster over a time range. */
export const HealthRange = z.enum(['1h', '6h', '24h']);
export type HealthRange = z.infer<typeof HealthRange>;
export const ClusterHealthQuery = z.strictObject({ range: z._default(HealthRange, '6h') });
export const ClusterHealthPanels = z.object({ cluster: z.string(), range: HealthRange, panels: z.array(HealthPanel) });
export type ClusterHealthPanels = z.infer<typeof ClusterHealthPanels>;
