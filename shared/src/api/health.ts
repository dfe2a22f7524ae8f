import { z } from 'zod';

import { IsoTime, PartialError } from '../model/common.ts';
import { HealthPanel } from '../model/observability.ts';

/** The at-a-glance health of one cluster, from Prometheus/Thanos. A missing field means no data. */
export const ClusterHealth = z.object({
  apiUp: z.boolean().optional(),
  nodesReady: z.number().int().nonnegative().optional(),
  nodesTotal: z.number().int().nonnegative().optional(),
  podHealthRatio: z.number().min(0).max(1).optional(),
  violations: z.number().int().nonnegative().optional(),
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
export const ClusterHealthQuery = z.strictObject({ range: HealthRange.default('6h') });
export const ClusterHealthPanels = z.object({ cluster: z.string(), range: HealthRange, panels: z.array(HealthPanel) });
export type ClusterHealthPanels = z.infer<typeof ClusterHealthPanels>;
