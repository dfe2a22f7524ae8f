import type { ClusterRolloutStatus } from '@fleetdeck/shared';

export const NO_REGION = 'no region';

/** A wave's clusters by region, regions in the order the source lists their clusters (the rollout order). */
export function groupByRegion(clusters: readonly ClusterRolloutStatus[]): { region: string; clusters: ClusterRolloutStatus[] }[] {
  const groups = new Map<string, ClusterRolloutStatus[]>();
  for (const c of clusters) {
    const region = c.region ?? NO_REGION;
    let list = groups.get(region);
    if (!list) groups.set(region, (list = []));
    list.push(c);
  }
  return [...groups].map(([region, list]) => ({ region, clusters: list }));
}
