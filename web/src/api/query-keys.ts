import type { z } from 'zod/mini';

import type { DeliveryListQuery, RolloutListQuery, ViolationCoverageQuery, ViolationFilters, ViolationListQuery } from '@fleetdeck/shared';

/** The list filters that make a rollouts list query distinct (the cursor is its page parameter). */
export type RolloutFilters = Pick<RolloutListQuery, 'state' | 'tenant' | 'source' | 'awaiting'>;

/** The violations list's distinct parts: the filters, sort and order (the cursor is its page parameter). */
export type ViolationListFilters = Omit<ViolationListQuery, 'cursor' | 'limit'>;
type CoverageQuery = z.infer<typeof ViolationCoverageQuery>;
/** The deliveries list's distinct parts: filters, grouping and sort (the cursor is its page parameter). */
export type DeliveryListFilters = Omit<DeliveryListQuery, 'cursor' | 'limit'>;

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
    rollouts: () => ['fleet', 'rollouts'] as const,
  },
  rollouts: {
    all: () => ['rollouts'] as const,
    lists: () => ['rollouts', 'list'] as const,
    list: (filters: RolloutFilters) => ['rollouts', 'list', filters] as const,
    detail: (id: string) => ['rollouts', 'detail', id] as const,
    /** Every wave's readiness of one rollout (a live event on the rollout marks them all stale). */
    readinessOf: (id: string) => ['rollouts', 'readiness', id] as const,
    readiness: (id: string, wave: string) => ['rollouts', 'readiness', id, wave] as const,
  },
  /** The "waiting for you" inbox of the signed-in person. */
  inbox: () => ['inbox'] as const,
  violations: {
    all: () => ['violations'] as const,
    lists: () => ['violations', 'list'] as const,
    list: (query: ViolationListFilters) => ['violations', 'list', query] as const,
    summaries: () => ['violations', 'summary'] as const,
    summary: (filters: ViolationFilters) => ['violations', 'summary', filters] as const,
    coverages: () => ['violations', 'coverage'] as const,
    coverage: (query: CoverageQuery) => ['violations', 'coverage', query] as const,
    trends: (range: string) => ['violations', 'trends', range] as const,
  },
  deliveries: {
    all: () => ['deliveries'] as const,
    lists: () => ['deliveries', 'list'] as const,
    list: (query: DeliveryListFilters) => ['deliveries', 'list', query] as const,
    detail: (id: string) => ['deliveries', 'detail', id] as const,
    /** Every cluster page's Deliveries section (a delivery event may add one to a cluster). */
    clusters: () => ['deliveries', 'cluster'] as const,
    cluster: (name: string) => ['deliveries', 'cluster', name] as const,
    syncPreview: (labels: string) => ['deliveries', 'sync-preview', labels] as const,
  },
};
