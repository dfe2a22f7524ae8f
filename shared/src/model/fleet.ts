import { z } from 'zod/mini';

import { IsoTime, PartialError } from './common.ts';
import { Cluster } from './cluster.ts';
import { count, int } from './numbers.ts';

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

/** Counts of the selected clusters by a dimension's values (e.g. environment → production: 14). */
export const Facets = z.object({
  environment: z.record(z.string(), int()),
  region: z.record(z.string(), int()),
  state: z.record(z.string(), int()),
});
export type Facets = z.infer<typeof Facets>;

/** GET /api/fleet: tenants → environments → clusters, already filtered to the caller's scope. */
export const FleetTree = z.object({
  tenants: z.array(Tenant),
  /** Clusters in this answer (after the selector). */
  clusterCount: count(),
  /** Clusters the caller may see at all (before the selector). */
  visibleCount: count(),
  facets: Facets,
  /** When the inventory behind this answer was last known to match its source. */
  syncedAt: IsoTime,
  errors: z.array(PartialError),
});
export type FleetTree = z.infer<typeof FleetTree>;

/** Counts by environment, region and state: the Fleet page's facets (pure; BFF and web use it). */
export function facetsOf(clusters: readonly Pick<Cluster, 'environment' | 'labels' | 'state'>[]): Facets {
  const facets: Facets = { environment: {}, region: {}, state: {} };
  for (const c of clusters) {
    facets.environment[c.environment] = (facets.environment[c.environment] ?? 0) + 1;
    const region = c.labels.region ?? '(none)';
    facets.region[region] = (facets.region[region] ?? 0) + 1;
    facets.state[c.state] = (facets.state[c.state] ?? 0) + 1;
  }
  return facets;
}
