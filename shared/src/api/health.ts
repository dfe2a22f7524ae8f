import { z } from 'zod/mini';

import { IsoTime, PartialError } from '../model/common.ts';
import { inPlaceArray, isFiniteNumber, isRecord } from '../model/in-place-array.ts';
import { HealthPanel, HealthPanelId, HealthUnit, Samples } from '../model/observability.ts';
import { count } from '../model/numbers.ts';

/** The at-a-glance health of one cluster, from Prometheus/Thanos. A missing field means no data. */
export const ClusterHealth = z.object({
  apiUp: z.optional(z.boolean()),
  nodesReady: z.optional(count()),
  nodesTotal: z.optional(count()),
  podHealthRatio: z.optional(z.number().check(z.gte(0), z.lte(1))),
  violations: z.optional(count()),
});
export type ClusterHealth = z.infer<typeof ClusterHealth>;

/** GET /api/fleet/health: one entry per cluster the caller may see. */
export const FleetHealth = z.object({
  clusters: z.record(z.string(), ClusterHealth),
  at: IsoTime,
  errors: z.array(PartialError),
});
export type FleetHealth = z.infer<typeof FleetHealth>;

/** Health paths beside `apiPaths` (same rules: the BFF registers these, the web builds URLs from them). */
export const healthApiPaths = {
  /** GET: the fleet panel set (every panel, all the caller's clusters, one query per panel). */
  fleetHealthPanels: '/api/fleet/health/panels',
} as const;

/** Preset time ranges, ending now. */
export const HealthRange = z.enum(['15m', '1h', '6h', '24h', '7d']);
export type HealthRange = z.infer<typeof HealthRange>;
export const HEALTH_RANGE_SECONDS: Record<HealthRange, number> = {
  '15m': 15 * 60,
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 24 * 3600,
  '7d': 7 * 86_400,
};
export const DEFAULT_HEALTH_RANGE: HealthRange = '6h';
/** Prometheus' own limit on points per series; no panel query asks for more. */
export const HEALTH_MAX_POINTS = 11_000;
/** Longest custom range (from … to). */
export const HEALTH_MAX_SPAN_SECONDS = 400 * 86_400;
export const HEALTH_DEFAULT_WIDTH = 800;

const Width = z.coerce.number().check(z.int(), z.gte(50), z.lte(8000));
/** An explicit step in seconds; without one the BFF chooses it from the range and `width`. */
const Step = z.coerce.number().check(z.int(), z.gte(1), z.lte(86_400));

const windowFields = {
  /** A preset ending now; leave out with from/to. Neither: 6h. */
  range: z.optional(HealthRange),
  /** A custom range: both, RFC 3339. */
  from: z.optional(IsoTime),
  to: z.optional(IsoTime),
  /** The chart's width in pixels: about one point per pixel (default 800). */
  width: z.optional(Width),
  step: z.optional(Step),
};

type WindowFields = {
  range?: HealthRange | undefined;
  from?: string | undefined;
  to?: string | undefined;
  width?: number | undefined;
  step?: number | undefined;
};

/** Seconds a window spans, or undefined when the fields are inconsistent (reported by the checks below). */
export function healthWindowSpan(q: WindowFields): number | undefined {
  if (q.from === undefined && q.to === undefined) return HEALTH_RANGE_SECONDS[q.range ?? DEFAULT_HEALTH_RANGE];
  if (q.from === undefined || q.to === undefined || q.range !== undefined) return undefined;
  const span = (Date.parse(q.to) - Date.parse(q.from)) / 1000;
  return Number.isFinite(span) ? span : undefined;
}

const windowChecks = [
  z.refine<WindowFields>((q) => q.range === undefined || (q.from === undefined && q.to === undefined), {
    message: 'give either range or from and to, not both',
    path: ['range'],
  }),
  z.refine<WindowFields>((q) => (q.from === undefined) === (q.to === undefined), { message: 'give both from and to', path: ['to'] }),
  z.refine<WindowFields>(
    (q) => {
      const span = healthWindowSpan(q);
      return span === undefined || (span > 0 && span <= HEALTH_MAX_SPAN_SECONDS);
    },
    { message: `to must be after from, and at most ${HEALTH_MAX_SPAN_SECONDS / 86_400} days later`, path: ['to'] },
  ),
  z.refine<WindowFields>(
    (q) => {
      const span = healthWindowSpan(q);
      return q.step === undefined || span === undefined || Math.floor(span / q.step) + 1 <= HEALTH_MAX_POINTS;
    },
    {
      message: `the range would give more than ${HEALTH_MAX_POINTS.toLocaleString('en')} points per series at this step; use a larger step or a shorter range`,
      path: ['step'],
    },
  ),
];

/** The time window of a health answer: `range` "custom" for from/to. Times RFC 3339, step in seconds. */
export const HealthWindow = z.object({
  range: z.union([HealthRange, z.literal('custom')]),
  from: IsoTime,
  to: IsoTime,
  step: z.number(),
});
export type HealthWindow = z.infer<typeof HealthWindow>;

/** GET /api/clusters/:name/health?range=6h | from=…&to=… [&width=800]: the panels of one cluster. */
export const ClusterHealthQuery = z.strictObject(windowFields).check(...windowChecks);
export type ClusterHealthQuery = z.infer<typeof ClusterHealthQuery>;
export const ClusterHealthPanels = z.object({
  cluster: z.string(),
  range: z.union([HealthRange, z.literal('custom')]),
  window: HealthWindow,
  panels: z.array(HealthPanel),
});
export type ClusterHealthPanels = z.infer<typeof ClusterHealthPanels>;

export const HealthAudience = z.enum(['namespaces', 'wholeCluster', 'anyViewer']);
export type HealthAudience = z.infer<typeof HealthAudience>;

/**
 * A panel definition, as data: the nine built in, more from configuration. `query` is the
 * fleet expression (one series per cluster, aggregated `by (cluster)`); the BFF limits it
 * to the caller's clusters (and namespaces) before it runs.
 */
export const HealthPanelDef = z.object({
  id: HealthPanelId,
  title: z.string(),
  unit: HealthUnit,
  /** What it shows, its expression and its source, in words. */
  help: z.string(),
  /** The exporter the series come from, e.g. "kube-apiserver", "kube-state-metrics", "Argo CD". */
  source: z.string(),
  query: z.string(),
  /** Which way is bad: the worst clusters are those with the highest (or lowest) latest value. */
  worse: z.enum(['higher', 'lower']),
  /**
   * Who sees it: `namespaces` also namespace-limited people, counted over their namespaces;
   * `wholeCluster` only people who see the whole cluster; `anyViewer` everyone who sees the
   * cluster, as a cluster-wide figure (API availability: what the fleet tree shows anyway).
   */
  audience: HealthAudience,
});
export type HealthPanelDef = z.infer<typeof HealthPanelDef>;

/** The fleet's spread at one time: quantiles across the clusters that reported then (`n`). */
export const HealthBandPoint = z.object({
  t: z.number(),
  p50: z.number(),
  p95: z.number(),
  min: z.number(),
  max: z.number(),
  n: z.number(),
});
export type HealthBandPoint = z.infer<typeof HealthBandPoint>;
export const isHealthBandPoint = (v: unknown): v is HealthBandPoint =>
  isRecord(v) &&
  isFiniteNumber(v.t) &&
  isFiniteNumber(v.p50) &&
  isFiniteNumber(v.p95) &&
  isFiniteNumber(v.min) &&
  isFiniteNumber(v.max) &&
  isFiniteNumber(v.n);

/** One cluster's latest value in a fleet panel (`at`: unix seconds). */
export const HealthTableRow = z.object({ cluster: z.string(), value: z.number(), at: z.number() });
export type HealthTableRow = z.infer<typeof HealthTableRow>;
export const isHealthTableRow = (v: unknown): v is HealthTableRow =>
  isRecord(v) && typeof v.cluster === 'string' && isFiniteNumber(v.value) && isFiniteNumber(v.at);

export const FleetHealthPanel = z.object({
  def: HealthPanelDef,
  // The three big arrays are checked in place (in-place-array.ts): thousands of records per panel.
  band: inPlaceArray(HealthBandPoint, isHealthBandPoint),
  /** The worst clusters (by latest value, per `def.worse`), worst first, as full series. */
  worst: z.array(z.object({ cluster: z.string(), points: Samples })),
  /**
   * The clusters' latest values: every cluster's, by name, or, when the request asked for
   * `rows`, only that many, worst first (per `def.worse`, ties by name).
   */
  table: inPlaceArray(HealthTableRow, isHealthTableRow),
  /** How many clusters have a latest value: the whole table's length, however many rows were sent. */
  tableSize: z.number(),
  /** Thanos partial-response and PromQL notes, safe to show. */
  warnings: z.array(z.string()),
  /** Why the panel has no (or partial) data: Prometheus down, the query refused, not for your role. */
  errors: z.array(PartialError),
});
export type FleetHealthPanel = z.infer<typeof FleetHealthPanel>;

/** GET /api/fleet/health/panels?range=… | from=…&to=… [&width=…] [&worst=5] [&rows=10] [&panels=id,id] */
export const FleetHealthPanelsQuery = z
  .strictObject({
    ...windowFields,
    /** How many worst clusters to draw per panel (default 5). */
    worst: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(20))),
    /**
     * Table rows per panel, worst first: a page shows the first few, and asks for a panel's
     * whole table (left out: every cluster's) only when a person sorts it or shows all.
     */
    rows: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(100_000))),
    /** Comma-separated panel ids; all panels when left out. */
    panels: z.optional(z.string().check(z.maxLength(1024), z.regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,62}(,[a-zA-Z][a-zA-Z0-9_-]{0,62})*$/))),
  })
  .check(...windowChecks);
export type FleetHealthPanelsQuery = z.infer<typeof FleetHealthPanelsQuery>;

export const FleetHealthPanels = z.object({
  window: HealthWindow,
  at: IsoTime,
  /** Clusters the caller may see (the band's n is at most this). */
  clusters: z.number(),
  panels: z.array(FleetHealthPanel),
  /** Page-wide: e.g. no Prometheus configured. Panels carry their own. */
  errors: z.array(PartialError),
});
export type FleetHealthPanels = z.infer<typeof FleetHealthPanels>;
