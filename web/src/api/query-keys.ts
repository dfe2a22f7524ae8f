import type { RolloutListQuery } from '@fleetdeck/shared';

/** The list filters that make a rollouts list query distinct (the cursor is its page parameter). */
export type RolloutFilters = Pick<RolloutListQuery, 'state' | 'tenant' | 'source' | 'awaiting'>;

/**
 * Every react-query key, built here and nowhere else, so SSE patches and
 * invalidations always hit the same keys the queries use.
 */
export const queryKeys = {
  authConfig: () => ['auth', 'config'] as const,
  me: () => ['auth', 'me'] as const,
  fleet: {
    all: () => ['fleet'] as const,
    tree: () => ['fleet', 'tree'] as const,
    cluster: (name: string) => ['fleet', 'cluster', name] as const,
    health: () => ['fleet', 'health'] as const,
    workloads: (name: string) => ['fleet', 'cluster', name, 'workloads'] as const,
    violations: (name: string) => ['fleet', 'cluster', name, 'violations'] as const,
    rollouts: () => ['fleet', 'rollouts'] as const,
    clusterHealth: (name: string, range: string) => ['fleet', 'cluster', name, 'health', range] as const,
  },
  rollouts: {
    all: () => ['rollouts'] as const,
    lists: () => ['rollouts', 'list'] as const,
    list: (filters: RolloutFilters) => ['rollouts', 'list', filters] as const,
    detail: (id: string) => ['rollouts', 'detail', id] as const,
  },
};
