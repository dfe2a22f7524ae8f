import { z } from 'zod';

import { IsoTime, PartialError } from './common.ts';
import { Cluster } from './cluster.ts';

export const Environment = z.object({
  name: z.string(),
  clusters: z.array(Cluster),
});
export type Environment = z.infer<typeof Environment>;

export const Tenant = z.object({
  id: z.string(),
  environments: z.array(Environment),
});
export type Tenant = z.infer<typeof Tenant>;

/** GET /api/fleet: tenants → environments → clusters, already filtered to the caller's scope. */
export const FleetTree = z.object({
  tenants: z.array(Tenant),
  clusterCount: z.number().int().nonnegative(),
  /** When the inventory behind this answer was last known to match its source. */
  syncedAt: IsoTime,
  errors: z.array(PartialError),
});
export type FleetTree = z.infer<typeof FleetTree>;
