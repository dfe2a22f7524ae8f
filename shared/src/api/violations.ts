import { z } from 'zod/mini';

import { PartialError } from '../model/common.ts';
import { count } from '../model/numbers.ts';
import {
  ClusterViolationFeed,
  ViolationMetric,
  NamespaceIsolation,
  PolicyCoverage,
  Violation,
  ViolationAction,
  ViolationEngine,
  ViolationSeverity,
  ViolationTruncation,
} from '../model/violation.ts';

const short = () => z.string().check(z.minLength(1), z.maxLength(253));

/** The filters every violations endpoint takes (list, summary, CSV), all optional; repeated keys are refused. */
export const ViolationFilters = z.strictObject({
  tenant: z.optional(short()),
  cluster: z.optional(short()),
  env: z.optional(short()),
  engine: z.optional(ViolationEngine),
  policy: z.optional(short()),
  severity: z.optional(ViolationSeverity),
  action: z.optional(ViolationAction),
  namespace: z.optional(short()),
  kind: z.optional(short()),
  /** Free text, matched case-insensitively as plain text (never as a pattern) against policy, rule, resource and message. */
  q: z.optional(z.string().check(z.maxLength(200))),
});
export type ViolationFilters = z.infer<typeof ViolationFilters>;

export const ViolationSort = z.enum(['severity', 'cluster', 'policy', 'namespace', 'lastSeen']);

/** GET /api/violations */
export const ViolationListQuery = z.extend(ViolationFilters, {
  sort: z.optional(ViolationSort),
  order: z.optional(z.enum(['asc', 'desc'])),
  cursor: z.optional(z.string().check(z.maxLength(600))),
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(500))),
});
export type ViolationListQuery = z.infer<typeof ViolationListQuery>;

export const ViolationList = z.object({
  items: z.array(Violation),
  nextCursor: z.optional(z.string()),
  /** All rows under these filters that the person may see (not only this page). */
  total: count(),
  /** Constraints whose Gatekeeper list is cut, among the visible clusters: "20 of 143 shown". */
  truncations: z.array(ViolationTruncation),
  feeds: z.array(ClusterViolationFeed),
  errors: z.array(PartialError),
});
export type ViolationList = z.infer<typeof ViolationList>;

/** GET /api/violations/summary: the filters, and how big a heat map to send. */
export const ViolationSummaryQuery = z.extend(ViolationFilters, {
  /**
   * The heat map holds the cells of the busiest this-many policies × this-many clusters
   * (default 30, as many as the page shows): a map of 1,000 columns reads as noise and weighs
   * megabytes. `heatMap` says how many there are in all.
   */
  heatMapLimit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000))),
  /** `byNamespace` holds the this-many namespaces with the most violations (then fails); default 200. `namespaces` says how many in all. */
  namespaceLimit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000_000))),
});
export type ViolationSummaryQuery = z.infer<typeof ViolationSummaryQuery>;
export const DEFAULT_HEAT_MAP_LIMIT = 30;
export const DEFAULT_NAMESPACE_LIMIT = 200;

const HeatMapCell = z.object({ policy: z.string(), engine: ViolationEngine, cluster: z.string(), count: count() });

/** GET /api/violations/summary (same filters). Every count is over what the person may see. */
export const ViolationSummary = z.object({
  total: count(),
  /** The heat map: one cell per (policy, cluster) with violations — of the busiest policies and clusters when `heatMap.cut`. */
  byPolicyCluster: z.array(HeatMapCell),
  /**
   * The heat map's extent: how many policies and clusters have violations in all, and the
   * busiest ones it holds with their totals (busiest first). Absent from older servers.
   */
  heatMap: z.optional(
    z.object({
      policies: count(),
      clusters: count(),
      cut: z.boolean(),
      policyTotals: z.array(z.object({ policy: z.string(), count: count() })),
      clusterTotals: z.array(z.object({ cluster: z.string(), count: count() })),
    }),
  ),
  /**
   * Clusters without a connection: counts from the metrics their Gatekeeper / Policy Reporter
   * send to Prometheus ("counts only": no resources, so not in `total` nor in the list), cut
   * to the person like everything else (namespace-limited people: `policy_report_result` of
   * their namespaces only). Absent when there are none.
   */
  countsOnly: z.optional(
    z.object({
      total: count(),
      byPolicyCluster: z.array(z.extend(HeatMapCell, { metric: ViolationMetric })),
      bySeverity: z.array(z.object({ severity: ViolationSeverity, count: count() })),
    }),
  ),
  bySeverity: z.array(z.object({ severity: ViolationSeverity, count: count() })),
  byEngine: z.array(z.object({ engine: ViolationEngine, count: count() })),
  byTenant: z.array(z.object({ tenant: z.string(), count: count() })),
  /** Per namespace, Kyverno's pass/warn/fail/error/skip counts and the violations of both engines. */
  byNamespace: z.array(
    z.object({
      cluster: z.string(),
      namespace: z.string(),
      pass: count(),
      warn: count(),
      fail: count(),
      error: count(),
      skip: count(),
      violations: count(),
    }),
  ),
  /** How many namespace rows there are in all, when `byNamespace` holds only the busiest (`cut`). Absent from older servers. */
  namespaces: z.optional(z.object({ total: count(), cut: z.boolean() })),
  truncations: z.array(ViolationTruncation),
  feeds: z.array(ClusterViolationFeed),
  errors: z.array(PartialError),
});
export type ViolationSummary = z.infer<typeof ViolationSummary>;

/** GET /api/violations/coverage?cluster=…: the brief's baseline policies per visible cluster, and tenant isolation per namespace. */
export const ViolationCoverageQuery = z.strictObject({ cluster: z.optional(short()), tenant: z.optional(short()) });
export const ViolationCoverage = z.object({
  coverage: z.array(PolicyCoverage),
  isolation: z.array(NamespaceIsolation),
  feeds: z.array(ClusterViolationFeed),
  errors: z.array(PartialError),
});
export type ViolationCoverage = z.infer<typeof ViolationCoverage>;

/** GET /api/violations/trends?range=24h: counts over time from Prometheus (gatekeeper_violations, Policy Reporter gauges), scope-enforced. */
export const ViolationTrendRange = z.enum(['1h', '6h', '24h', '7d']);
export const ViolationTrendQuery = z.strictObject({ range: z._default(ViolationTrendRange, '24h') });
export const ViolationTrends = z.object({
  range: ViolationTrendRange,
  step: z.number(),
  series: z.array(
    z.object({
      /** e.g. "gatekeeper deny", "kyverno fail high". */
      label: z.string(),
      source: z.enum(['gatekeeper_violations', 'policy_report_result', 'cluster_policy_report_result']),
      points: z.array(z.tuple([z.number(), z.number()])),
    }),
  ),
  warnings: z.array(z.string()),
  errors: z.array(PartialError),
});
export type ViolationTrends = z.infer<typeof ViolationTrends>;

/** The `violation` live topic: these visible clusters' violations changed; refetch what shows them. */
export const ViolationEvent = z.object({ clusters: z.array(z.string()) });
export type ViolationEvent = z.infer<typeof ViolationEvent>;

/** The CSV columns of GET /api/violations/export.csv, in order. */
export const VIOLATION_CSV_COLUMNS = [
  'cluster',
  'tenant',
  'engine',
  'policy',
  'rule',
  'severity',
  'action',
  'result',
  'category',
  'kind',
  'namespace',
  'name',
  'message',
  'firstSeenAt',
  'lastSeenAt',
] as const;
