import type { Cluster, Scope } from '@fleetdeck/shared';

import { findVisibleCluster } from '../access/scope-checks.ts';
import { HttpProblem } from '../lib/problem.ts';
import { SpokeUnavailable, type Spokes } from '../sources/spokes/spokes.ts';
import type { Services } from '../services.ts';

/** The visible cluster of that name, or 404 — the same answer for "missing" and "not yours". */
export function visibleCluster(services: Services, scope: Scope, name: string): Cluster {
  const cluster = findVisibleCluster(scope, services.inventory.snapshot().clusters, name);
  if (!cluster) throw new HttpProblem(404, `no cluster "${name}" that you may see`);
  return cluster;
}

/** Runs a drill-down on that cluster's own API server; a cluster that is down is a 502 for this request only. */
export async function fromSpoke<T>(services: Services, cluster: Cluster, read: (spokes: Spokes) => Promise<T>): Promise<T> {
  if (!services.spokes?.has(cluster.name))
    throw new HttpProblem(404, `Fleetdeck has no connection to ${cluster.name}; drill-down is not available for it`);
  try {
    return await read(services.spokes);
  } catch (err) {
    if (err instanceof SpokeUnavailable) throw new HttpProblem(502, err.message, { cause: err.cause });
    throw err;
  }
}
