import {
  AuthConfig,
  Cluster,
  ClusterDeliveries,
  ClusterWorkloads,
  DeliveryDetailResponse,
  DeliveryList,
  FleetHealth,
  FleetRollouts,
  FleetTree,
  Me,
  Rollout,
  RolloutList,
  SyncPreview,
  ViolationCoverage,
  ViolationList,
  ViolationSummary,
  ViolationTrends,
  type ViolationCoverageQuery,
  type ViolationFilters,
  apiPaths,
  apiUrl,
} from '@fleetdeck/shared';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod/mini';

import { getJson } from './client.ts';
import { queryKeys, type DeliveryListFilters, type RolloutFilters, type ViolationListFilters } from './query-keys.ts';

// Retry and the default stale time come from the QueryClient (query-client.ts);
// a query says only what differs.

export const authConfigQuery = () =>
  queryOptions({
    queryKey: queryKeys.authConfig(),
    queryFn: ({ signal }) => getJson(apiPaths.authConfig, AuthConfig, signal),
    staleTime: Infinity,
  });

export const meQuery = () =>
  queryOptions({
    queryKey: queryKeys.me(),
    queryFn: ({ signal }) => getJson(apiPaths.me, Me, signal),
    staleTime: 60_000,
  });

export const fleetTreeQuery = () =>
  queryOptions({
    queryKey: queryKeys.fleet.tree(),
    queryFn: ({ signal }) => getJson(apiPaths.fleet, FleetTree, signal),
  });

export const clusterQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.fleet.cluster(name),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.cluster, { name }), Cluster, signal),
  });

/** Health has no watch: it is polled, slower than the inventory's live events. */
export const fleetHealthQuery = () =>
  queryOptions({
    queryKey: queryKeys.fleet.health(),
    queryFn: ({ signal }) => getJson(apiPaths.fleetHealth, FleetHealth, signal),
    refetchInterval: 30_000,
  });

export const clusterWorkloadsQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.fleet.workloads(name),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.clusterWorkloads, { name }), ClusterWorkloads, signal),
  });

export const fleetRolloutsQuery = () =>
  queryOptions({
    queryKey: queryKeys.fleet.rollouts(),
    queryFn: ({ signal }) => getJson(apiPaths.fleetRollouts, FleetRollouts, signal),
    staleTime: 10_000,
    refetchInterval: 15_000,
  });

/** One cluster's violations for its page: the fleet list filtered to it (first page), kept fresh by the `violation` topic. */
export const clusterViolationsQuery = (name: string) => violationsPageQuery({ cluster: name }, 50);

/** One page of the violations list (no cursor): for a section that shows the first rows and links to the page. */
export const violationsPageQuery = (filters: ViolationFilters, limit: number) =>
  queryOptions({
    queryKey: [...queryKeys.violations.list(filters), 'first', limit] as const,
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.violations, {}, { ...filters, limit }), ViolationList, signal),
    staleTime: 30_000,
  });

/** The Violations page's list, a page per cursor; a `violation` event refetches it (keeping the rows on screen meanwhile). */
export const violationsQuery = (query: ViolationListFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.violations.list(query),
    queryFn: ({ signal, pageParam }) =>
      getJson(apiUrl(apiPaths.violations, {}, { ...query, limit: 100, cursor: pageParam }), ViolationList, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 30_000,
  });

export const violationsSummaryQuery = (filters: ViolationFilters) =>
  queryOptions({
    queryKey: queryKeys.violations.summary(filters),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.violationsSummary, {}, filters), ViolationSummary, signal),
    staleTime: 30_000,
  });

export const violationsCoverageQuery = (query: z.infer<typeof ViolationCoverageQuery>) =>
  queryOptions({
    queryKey: queryKeys.violations.coverage(query),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.violationsCoverage, {}, query), ViolationCoverage, signal),
    staleTime: 60_000,
  });

/** Trends come from Prometheus, not the live layer: polled. */
export const violationsTrendsQuery = (range: string) =>
  queryOptions({
    queryKey: queryKeys.violations.trends(range),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.violationsTrends, {}, { range }), ViolationTrends, signal),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });

/** One page per cursor; live events patch the cached pages (features/rollouts/rollouts-patcher.ts). */
export const rolloutsQuery = (filters: RolloutFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.rollouts.list(filters),
    queryFn: ({ signal, pageParam }) => getJson(apiUrl(apiPaths.rollouts, {}, { ...filters, cursor: pageParam }), RolloutList, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });

/** Refetched when a live event names it, so it needs no polling. */
export const rolloutQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.rollouts.detail(id),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.rollout, { id }), Rollout, signal),
  });

/** The Deliveries page's list, a page per cursor; a `delivery` event refetches it (rows stay on screen meanwhile). */
export const deliveriesQuery = (query: DeliveryListFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.deliveries.list(query),
    queryFn: ({ signal, pageParam }) =>
      getJson(apiUrl(apiPaths.deliveries, {}, { ...query, limit: 100, cursor: pageParam }), DeliveryList, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });

/** One GitRepo or Application with its clusters; refetched when a `delivery` event names it. */
export const deliveryQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.deliveries.detail(id),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.delivery, { id }), DeliveryDetailResponse, signal),
  });

/** The cluster page's Deliveries section. */
export const clusterDeliveriesQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.deliveries.cluster(name),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.clusterDeliveries, { name }), ClusterDeliveries, signal),
  });

/** What a bulk sync by labels would do: asked afresh each time the dialog previews (never served stale). */
export const syncPreviewQuery = (labels: string) =>
  queryOptions({
    queryKey: queryKeys.deliveries.syncPreview(labels),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.deliveriesSyncPreview, {}, { labels }), SyncPreview, signal),
    staleTime: 0,
    gcTime: 0,
  });
