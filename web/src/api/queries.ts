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
  apiPaths,
  clusterHealthUrl,
  clusterUrl,
  clusterViolationsUrl,
  clusterWorkloadsUrl,
} from '@fleetdeck/shared';
import { queryOptions } from '@tanstack/react-query';

import { ApiError, getJson } from './client.ts';
import { queryKeys } from './query-keys.ts';

// Client errors (401/403/404/400) will not heal on retry; network and 5xx may.
const retryUnlessClientError = (count: number, error: unknown) =>
  count < 3 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

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
    retry: retryUnlessClientError,
  });

export const fleetTreeQuery = () =>
  queryOptions({
    queryKey: queryKeys.fleet.tree(),
    queryFn: ({ signal }) => getJson(apiPaths.fleet, FleetTree, signal),
    staleTime: 15_000,
    retry: retryUnlessClientError,
  });

export const clusterQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.fleet.cluster(name),
    queryFn: ({ signal }) => getJson(clusterUrl(name), Cluster, signal),
    staleTime: 15_000,
    retry: retryUnlessClientError,
  });

/** Health has no watch: it is polled, slower than the inventory's live events. */
export const fleetHealthQuery = () =>
  queryOptions({
    queryKey: queryKeys.fleet.health(),
    queryFn: ({ signal }) => getJson(apiPaths.fleetHealth, FleetHealth, signal),
    staleTime: 15_000,
    refetchInterval: 30_000,
    retry: retryUnlessClientError,
  });

export const clusterWorkloadsQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.fleet.workloads(name),
    queryFn: ({ signal }) => getJson(clusterWorkloadsUrl(name), ClusterWorkloads, signal),
    staleTime: 15_000,
    retry: retryUnlessClientError,
  });

export const fleetRolloutsQuery = () =>
  queryOptions({
    queryKey: queryKeys.fleet.rollouts(),
    queryFn: ({ signal }) => getJson(apiPaths.fleetRollouts, FleetRollouts, signal),
    staleTime: 10_000,
    refetchInterval: 15_000,
    retry: retryUnlessClientError,
  });

export const clusterViolationsQuery = (name: string) =>
  queryOptions({
    queryKey: queryKeys.fleet.violations(name),
    queryFn: ({ signal }) => getJson(clusterViolationsUrl(name), ClusterViolations, signal),
    staleTime: 30_000,
    retry: retryUnlessClientError,
  });

export const clusterHealthQuery = (name: string, range: string) =>
  queryOptions({
    queryKey: queryKeys.fleet.clusterHealth(name, range),
    queryFn: ({ signal }) => getJson(clusterHealthUrl(name, range), ClusterHealthPanels, signal),
    staleTime: 30_000,
    refetchInterval: 60_000,
    retry: retryUnlessClientError,
  });
