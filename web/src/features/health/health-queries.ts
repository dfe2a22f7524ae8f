import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import { ClusterHealthPanels, FleetHealthPanels, apiPaths, apiUrl, healthApiPaths, type HealthRange } from '@fleetdeck/shared';

import { getJson } from '../../api/client.ts';
import { windowParams, type HealthView } from './health-window.ts';

/**
 * Charts ask for about one point per pixel; these are the widths the BFF chooses its
 * step for. Fixed buckets rather than measured widths, so resizing a window does not refetch.
 */
export const FLEET_CHART_WIDTH = 640;
export const CLUSTER_CHART_WIDTH = 480;
/** How many of the worst clusters each fleet panel draws as lines. */
export const WORST_CLUSTERS = 5;
/**
 * Table rows a fleet panel opens with (worst first): the set carries only these, and a panel
 * asks for its whole table when a person sorts it or shows all (fleetPanelTableQuery).
 */
export const FIRST_ROWS = 10;

type WindowParams = ReturnType<typeof windowParams>;
export type FleetPanelsParams = WindowParams & { width: number; worst: number; rows: number };
export type FleetTableParams = { from: string; to: string; width: number; worst: 0; panels: string };
export type ClusterPanelsParams = WindowParams & { width: number };

/** Every health query key, built here and nowhere else. */
export const healthKeys = {
  all: () => ['health'] as const,
  fleet: (params: FleetPanelsParams) => ['health', 'fleet', params] as const,
  fleetTable: (params: FleetTableParams) => ['health', 'fleet-table', params] as const,
  cluster: (name: string, params: ClusterPanelsParams) => ['health', 'cluster', name, params] as const,
};

// A preset window ends "now", so it is polled; shorter windows move faster.
const POLL_MS: Record<HealthRange, number> = { '15m': 15_000, '1h': 30_000, '6h': 60_000, '24h': 60_000, '7d': 300_000 };

/** How often a view is refreshed, or false: a custom window never changes, and a paused page waits. */
export function pollInterval(view: HealthView, paused: boolean): number | false {
  return view.kind === 'preset' && !paused ? POLL_MS[view.range] : false;
}

/** The fleet panel set: every panel over all the caller's clusters, in one request. */
export const fleetHealthPanelsQuery = (view: HealthView, paused = false) => {
  const params: FleetPanelsParams = { ...windowParams(view), width: FLEET_CHART_WIDTH, worst: WORST_CLUSTERS, rows: FIRST_ROWS };
  return queryOptions({
    queryKey: healthKeys.fleet(params),
    queryFn: ({ signal }) => getJson(apiUrl(healthApiPaths.fleetHealthPanels, {}, params), FleetHealthPanels, signal),
    staleTime: 15_000,
    refetchInterval: pollInterval(view, paused),
    // The previous range stays drawn (marked as updating) while the new one loads.
    placeholderData: keepPreviousData,
  });
};

/**
 * One fleet panel's whole table over the window a panel shows (its answer's own from/to, so
 * the rows are as of the chart's last step, not a later "now"): the same route, that panel
 * only, no worst lines, every row.
 */
export const fleetPanelTableQuery = (panel: string, window: { from: string; to: string }) => {
  const params: FleetTableParams = { from: window.from, to: window.to, width: FLEET_CHART_WIDTH, worst: 0, panels: panel };
  return queryOptions({
    queryKey: healthKeys.fleetTable(params),
    queryFn: ({ signal }) => getJson(apiUrl(healthApiPaths.fleetHealthPanels, {}, params), FleetHealthPanels, signal),
    // A window in the past does not change: kept while the panel shows it.
    staleTime: Infinity,
    // An auto-refresh moves the window: the rows shown stay until the new ones are here.
    placeholderData: keepPreviousData,
    select: (answer) => answer.panels.find((p) => p.def.id === panel),
  });
};

/** One cluster's panels (the cluster page). */
export const clusterHealthPanelsQuery = (name: string, view: HealthView, paused = false) => {
  const params: ClusterPanelsParams = { ...windowParams(view), width: CLUSTER_CHART_WIDTH };
  return queryOptions({
    queryKey: healthKeys.cluster(name, params),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.clusterHealth, { name }, params), ClusterHealthPanels, signal),
    staleTime: 15_000,
    refetchInterval: pollInterval(view, paused),
    placeholderData: keepPreviousData,
  });
};
