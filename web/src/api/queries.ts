import {
  AuthConfig,
  Cluster,
  ClusterHealthPanels,
  ClusterViolations,
  ClusterWorkloads,
  FleetHealth,
  FleetRollouts,
  FleetTree,
  Me,
  Rollout,
  RolloutList,
  apiPaths,
  apiUrl,
} from '@fleetdeck/shared';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';

import { getJson } from './client.ts';
import { queryKeys, type RolloutFilters } from './query-keys.ts';

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

export const clusterViolationsQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.fleet.violations(name),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.clusterViolations, { name }), ClusterViolations, signal),
    staleTime: 30_000,
  });

export const clusterHealthQuery = (name: string, range: string) =>
  queryOptions({
    queryKey: queryKeys.fleet.clusterHealth(name, range),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.clusterHealth, { name }, { range }), ClusterHealthPanels, signal),
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
