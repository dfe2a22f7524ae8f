import {
  ClusterParams,
  ViolationCoverageQuery,
  ViolationFilters,
  ViolationListQuery,
  ViolationSummaryQuery,
  ViolationTrendQuery,
  apiPaths,
  type ClusterViolations,
  type PolicyViolation,
  type Scope,
  type ViolationCoverage,
  type ViolationList,
  type ViolationTrends,
} from '@fleetdeck/shared';

import { demoTrends } from '../access/violations/demo-trends.ts';
import { streamCsv } from '../access/violations/violation-csv.ts';
import { BadCursor } from '../access/violations/violation-page.ts';
import { prometheusTrends, trendAccesses } from '../access/violations/violation-trends.ts';
import { ViolationViews } from '../access/violations/violation-views.ts';
import { HttpProblem } from '../lib/problem.ts';
import { visibleCluster } from './drill-down.ts';
import { defineRoute, requires, type Services } from './route.ts';

/** One cache of per-person answers per app (services), built on first use. */
const viewsByServices = new WeakMap<Services, ViolationViews>();
function viewsOf(services: Services): ViolationViews {
  let views = viewsByServices.get(services);
  if (!views) {
    views = new ViolationViews(services.violations, () => services.inventory.snapshot());
    viewsByServices.set(services, views);
  }
  return views;
}

export const violationsRoute = defineRoute({
  method: 'get',
  path: apiPaths.violations,
  permission: requires('view'),
  summary:
    'Gatekeeper and Kyverno violations the caller may see (their namespaces only where namespace-limited); filters, free text, sort, cursor pages.',
  query: ViolationListQuery,
  handler: ({ res, query, scope, services }) => {
    const views = viewsOf(services);
    let page;
    try {
      page = views.page(scope, query);
    } catch (err) {
      if (err instanceof BadCursor) throw new HttpProblem(400, `query.cursor: ${err.message}`);
      throw err;
    }
    const meta = views.meta(scope, query);
    const body: ViolationList = {
      ...page,
      truncations: [...meta.truncations],
      feeds: [...meta.feeds],
      errors: [...meta.errors],
    };
    res.json(body);
  },
});

export const violationsSummaryRoute = defineRoute({
  method: 'get',
  path: apiPaths.violationsSummary,
  permission: requires('view'),
  summary:
    'Violation counts the caller may see: policy × cluster heat map (the busiest heatMapLimit of each), by severity, engine, tenant and namespace (the busiest namespaceLimit), and counts-only clusters (same filters).',
  query: ViolationSummaryQuery,
  handler: ({ res, query, scope, services }) => {
    const { heatMapLimit, namespaceLimit, ...filters } = query;
    res.type('application/json').send(viewsOf(services).summaryJson(scope, filters, heatMapLimit, namespaceLimit));
  },
});

export const violationsCoverageRoute = defineRoute({
  method: 'get',
  path: apiPaths.violationsCoverage,
  permission: requires('view'),
  summary: 'Baseline-policy coverage of the clusters the caller sees whole, and tenant isolation of the namespaces they may see.',
  query: ViolationCoverageQuery,
  handler: ({ res, query, scope, services }) => {
    const f = viewsOf(services).meta(scope, query);
    const body: ViolationCoverage = { coverage: [...f.coverage], isolation: [...f.isolation], feeds: [...f.feeds], errors: [...f.errors] };
    res.json(body);
  },
});

export const violationsTrendsRoute = defineRoute({
  method: 'get',
  path: apiPaths.violationsTrends,
  permission: requires('view'),
  summary: 'Violation counts over time from Prometheus (gatekeeper_violations, Policy Reporter gauges), limited to the caller’s scope.',
  query: ViolationTrendQuery,
  handler: async ({ res, query, scope, services }) => {
    res.json(await trendsFor(services, scope, query.range));
  },
});

async function trendsFor(services: Services, scope: Scope, range: ViolationTrends['range']): Promise<ViolationTrends> {
  const now = Date.now();
  if (services.config.mode === 'demo') return demoTrends(viewsOf(services).scoped(scope), range, now);
  if (!services.prometheus) {
    return {
      range,
      step: 0,
      series: [],
      warnings: [],
      errors: [{ source: 'prometheus', reason: 'Prometheus is not configured (PROMETHEUS_URL)' }],
    };
  }
  return prometheusTrends(services.prometheus, trendAccesses(scope, services.inventory.snapshot().clusters), range, now);
}

export const violationsCsvRoute = defineRoute({
  method: 'get',
  path: apiPaths.violationsCsv,
  permission: requires('view'),
  summary: 'Every violation the caller may see under the filters, as CSV (streamed; formula-safe cells).',
  query: ViolationFilters,
  handler: async ({ res, query, scope, services }) => {
    const views = viewsOf(services);
    const meta = views.meta(scope, query);
    const rows = views.rows(scope, { ...query, sort: 'cluster' });
    const date = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="violations-${date}.csv"`);
    res.setHeader('cache-control', 'no-store');
    await streamCsv(res, rows, (cluster) => views.tenantOf(meta, cluster));
  },
});

/** The old per-cluster shape, for the cluster page. */
const toPolicyViolation = (v: ViolationList['items'][number]): PolicyViolation => ({
  engine: v.engine,
  cluster: v.cluster,
  policy: v.policy,
  ...(v.rule !== undefined && { rule: v.rule }),
  ...(v.severity !== 'unknown' && { severity: v.severity }),
  ...(v.action !== 'unknown' && { enforcementAction: v.action }),
  resource: {
    kind: v.resource.kind,
    ...(v.resource.namespace !== undefined && { namespace: v.resource.namespace }),
    name: v.resource.name,
  },
  message: v.message,
  ...(v.lastSeenAt !== undefined && { observedAt: v.lastSeenAt }),
});

export const clusterViolationsRoute = defineRoute({
  method: 'get',
  path: apiPaths.clusterViolations,
  permission: requires('view'),
  summary:
    'Gatekeeper and Kyverno findings of one cluster from the BFF’s violation store, cut to the caller (namespaced ones limited to their namespaces).',
  params: ClusterParams,
  handler: ({ res, params, scope, services }) => {
    const cluster = visibleCluster(services, scope, params.name);
    const f = viewsOf(services).meta(scope, { cluster: cluster.name });
    const stale = f.feeds.flatMap((x) =>
      x.state === 'live'
        ? []
        : [{ source: 'violations', cluster: x.cluster, reason: `feed ${x.state}${x.lastSyncAt ? ` since ${x.lastSyncAt}` : ''}` }],
    );
    const body: ClusterViolations = {
      items: [...viewsOf(services).rows(scope, { cluster: cluster.name, sort: 'policy' })].map(toPolicyViolation),
      errors: [...f.errors, ...stale],
    };
    res.json(body);
  },
});

export const violationRoutes = [
  violationsRoute,
  violationsSummaryRoute,
  violationsCoverageRoute,
  violationsTrendsRoute,
  violationsCsvRoute,
  clusterViolationsRoute,
];
