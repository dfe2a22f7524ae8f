import { z } from 'zod';

import { IsoTime, PartialError } from '../model/common.ts';

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
