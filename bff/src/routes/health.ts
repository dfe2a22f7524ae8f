import {
  ClusterHealthQuery,
  ClusterParams,
  FleetHealthPanelsQuery,
  apiPaths,
  healthApiPaths,
  worstHealthRows,
  type ClusterHealthPanels,
  type FleetHealth,
  type FleetHealthPanel,
  type FleetHealthPanels,
} from '@fleetdeck/shared';

import { namespacePatterns, visibleByCluster } from '../access/scope-checks.ts';
import { IdentityMemo } from '../lib/identity-memo.ts';
import { sendJsonParts } from '../lib/json-parts.ts';
import { HttpProblem } from '../lib/problem.ts';
import { clusterPanelSet, fleetPanelSet } from '../sources/health/fleet-panels.ts';
import { healthForNamespaces } from '../sources/health/health-source.ts';
import { PanelAccessMemo, clustersIn, panelAccesses, type PanelAccesses } from '../sources/health/panel-access.ts';
import { WindowError, resolveWindow, windowJson, type WindowRequest, type ResolvedWindow } from '../sources/health/window.ts';
import { visibleCluster } from './drill-down.ts';
import { fleetPanelsJson } from './health-json.ts';
import { safeWarnings } from './prom.ts';
import { defineRoute, requires, type Services } from './route.ts';

const DEFAULT_WORST = 5;

function windowOf(q: WindowRequest, services: Services, series: number): ResolvedWindow {
  const { pointBudget, minStepSeconds } = services.health.limits;
  try {
    return resolveWindow(q, { now: new Date(), series, pointBudget, minStep: minStepSeconds });
  } catch (err) {
    if (!(err instanceof WindowError)) throw err;
    throw new HttpProblem(400, err.message, {
      type: 'https://fleetdeck.dev/problems/validation',
      errors: [{ path: 'query', message: err.message }],
    });
  }
}

export const fleetHealthRoute = defineRoute({
  method: 'get',
  path: apiPaths.fleetHealth,
  permission: requires('view'),
  summary: 'At-a-glance health (API up, nodes ready, pod health, violations) of the clusters the caller may see.',
  handler: async ({ res, scope, services }) => {
    const summary = await services.health.summary();
    // Series of hidden clusters never leave; a namespace-limited person gets their
    // namespaces' numbers, never the cluster's.
    const clusters = visibleByCluster(scope, services.inventory.snapshot().clusters, (c) =>
      healthForNamespaces(summary.clusters.get(c.name), summary.pods.get(c.name), namespacePatterns(scope, c)),
    );
    const body: FleetHealth = { clusters, at: summary.at.toISOString(), errors: summary.errors.filter((e) => e.cluster === undefined) };
    res.json(body);
  },
});

/** One memo per inventory (each app has its own; a version number alone could match another's). */
const accessMemos = new WeakMap<object, PanelAccessMemo>();
function fleetAccesses(services: Services, scope: Parameters<typeof panelAccesses>[0]): PanelAccesses {
  const inventory = services.inventory;
  let memo = accessMemos.get(inventory);
  if (!memo) accessMemos.set(inventory, (memo = new PanelAccessMemo(() => inventory.snapshot())));
  return memo.get(scope);
}

const tableHeads = new IdentityMemo<FleetHealthPanel['table']>();

/**
 * A panel's table cut to its `rows` worst rows (all of it, by name, when not asked): a page
 * opens nine tables on their first ten rows, and 1,000 clusters' rows were most of a panel
 * set's bytes (about 600 of 700 KB) and of its parsing in the browser. The same array for the
 * same table (health-json.ts writes it once while the response cache keeps it).
 */
function firstRows(panel: FleetHealthPanel, rows: number | undefined): FleetHealthPanel['table'] {
  if (rows === undefined) return panel.table;
  return tableHeads.get([panel.table], `${panel.def.worse} ${rows}`, () => worstHealthRows(panel.table, panel.def.worse, rows));
}

export const fleetHealthPanelsRoute = defineRoute({
  method: 'get',
  path: healthApiPaths.fleetHealthPanels,
  permission: requires('view'),
  summary:
    'The health panels across the clusters (and namespaces) the caller may see: one enforced query per panel, as a p50/p95 band, the worst clusters and a table; each panel fails on its own.',
  query: FleetHealthPanelsQuery,
  handler: async ({ res, query, scope, services }) => {
    const accesses = fleetAccesses(services, scope);
    const clusters = clustersIn(accesses.anyViewer);
    const window = windowOf(query, services, clusters);
    let defs = services.health.defs;
    if (query.panels !== undefined) {
      const wanted = new Set(query.panels.split(','));
      const unknown = [...wanted].filter((id) => !defs.some((d) => d.id === id));
      if (unknown.length > 0) throw new HttpProblem(400, `no such panel: ${unknown.join(', ')}`);
      defs = defs.filter((d) => wanted.has(d.id));
    }
    const panels = await fleetPanelSet(services.health, defs, accesses, window, query.worst ?? DEFAULT_WORST);
    const body: FleetHealthPanels = {
      window: windowJson(window),
      at: new Date().toISOString(),
      clusters,
      panels: panels.map((p) => ({ ...p, table: firstRows(p, query.rows), warnings: safeWarnings(p.warnings) })),
      errors: [],
    };
    sendJsonParts(res, fleetPanelsJson(body));
  },
});

export const clusterHealthRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterHealth,
  permission: requires('view'),
  summary:
    'The health panels of one cluster the caller may see, over ?range=15m…7d or from/to (step from width); Prometheus down degrades each panel, not the page.',
  params: ClusterParams,
  query: ClusterHealthQuery,
  handler: async ({ res, params, query, scope, services }) => {
    const cluster = visibleCluster(services, scope, params.name);
    const window = windowOf(query, services, 1);
    const panels = await clusterPanelSet(
      (d, a, w) => services.health.series(d, a, w),
      services.health.defs,
      panelAccesses(scope, [cluster]),
      cluster.name,
      window,
    );
    const body: ClusterHealthPanels = {
      cluster: cluster.name,
      range: window.range,
      window: windowJson(window),
      panels: panels.map((p) => ({ ...p, warnings: safeWarnings(p.warnings ?? []) })),
    };
    res.json(body);
  },
});
