import type { ClusterHealth, HealthPanelDef, PartialError } from '@fleetdeck/shared';

import { compileGlob } from '@fleetdeck/shared';

import type { PromAccess } from '../../access/promql/index.ts';
import { IdentityMemo } from '../../lib/identity-memo.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { promString } from './cluster-panels.ts';
import type { PrometheusClient } from '../prometheus/prometheus-client.ts';
import { prometheusFleetPanel, type FleetPanelSummary, type FleetPlanKind } from './prometheus-fleet.ts';
import type { QueryCache } from './query-cache.ts';
import { BandReader, type CheckedBand } from './recorded-fleet-band.ts';
import { panelQuery, type FleetBandRecord } from './recording-rules.ts';
import { summarize } from './summarize.ts';
import { prometheusPanelSeries, type PanelSeries } from './prometheus-panels.ts';
import { TableBatcher } from './table-batch.ts';
import type { ResolvedWindow } from './window.ts';

/** Panels summarised by the BFF, per series object (see IdentityMemo). */
const summaries = new IdentityMemo<ReturnType<typeof summarize>>();

/** Pods per namespace of one cluster, so namespace-limited people get their own ratio. */
export type NamespacePods = Map<string, { running: number; total: number }>;

export interface HealthSummary {
  clusters: Map<string, ClusterHealth>;
  /** cluster → namespace → pods; present where the upstream reports namespaces. */
  pods: Map<string, NamespacePods>;
  at: Date;
  errors: PartialError[];
}

export interface PanelLimits {
  pointBudget: number;
  minStepSeconds: number;
}
export const DEFAULT_PANEL_LIMITS: PanelLimits = { pointBudget: 400_000, minStepSeconds: 15 };

/** How a fleet panel is asked for: `everyCluster`, the person sees the whole inventory (panel-access.ts). */
export interface FleetPanelCall {
  everyCluster?: boolean;
}

/** Where the fleet's health comes from: Prometheus/Thanos, or the demo. */
export interface HealthSource {
  /** The at-a-glance figures of every cluster (the fleet table's badges); cut per person by the route. */
  summary(): Promise<HealthSummary>;
  /** The panel definitions: the nine built in and the configured ones. */
  readonly defs: readonly HealthPanelDef[];
  /** How fine a window may be: points of all clusters per panel, and the scrape interval. */
  readonly limits: PanelLimits;
  /**
   * One panel over a window, one series per cluster of `access` (already the person's:
   * panel-access.ts), never more. Throws a PanelError, safe to show, when it cannot answer.
   */
  series(def: HealthPanelDef, access: PromAccess, window: ResolvedWindow): Promise<PanelSeries>;
  /**
   * One panel fleet-wide, summarised where the data is (band, table, worst `worstN`) under
   * `access`; sources without it are summarised by the BFF from `series`. Throws a PanelError.
   */
  fleetPanel?(
    def: HealthPanelDef,
    access: PromAccess,
    window: ResolvedWindow,
    worstN: number,
    options?: FleetPanelCall,
  ): Promise<FleetPanelSummary>;
}

/**
 * What one person sees of one cluster's at-a-glance health: everything when they see the
 * whole cluster; else API availability and the pod ratio of their own namespaces, and no
 * cluster-wide count (nodes, violations).
 */
export function healthForNamespaces(
  health: ClusterHealth | undefined,
  pods: NamespacePods | undefined,
  namespaces: '*' | readonly string[],
): ClusterHealth | undefined {
  if (namespaces === '*' || !health) return health;
  const matchers = namespaces.map(compileGlob);
  let running = 0;
  let total = 0;
  for (const [ns, p] of pods ?? []) {
    if (!matchers.some((m) => m(ns))) continue;
    running += p.running;
    total += p.total;
  }
  return {
    ...(health.apiUp !== undefined && { apiUp: health.apiUp }),
    ...(total > 0 && { podHealthRatio: Math.min(1, Math.max(0, running / total)) }),
  };
}

/**
 * Fleet-wide health in a handful of queries aggregated `by (cluster)` (the external
 * label Thanos adds), never one query per cluster. Each query fails on its own: the
 * others still answer, and the failure is named.
 */
export function summaryQueries(apiserverJob: string): Record<keyof ClusterHealth, string> {
  return {
    apiUp: `max by (cluster) (up{job=${promString(apiserverJob)}})`,
    nodesReady: 'sum by (cluster) (kube_node_status_condition{condition="Ready",status="true"})',
    nodesTotal: 'count by (cluster) (kube_node_status_condition{condition="Ready",status="true"})',
    podHealthRatio: 'sum by (cluster) (kube_pod_status_phase{phase="Running"}) / sum by (cluster) (kube_pod_status_phase)',
    violations: 'sum by (cluster) (gatekeeper_violations)',
  };
}

/** Pods per (cluster, namespace): one query each, fleet-wide, for namespace-limited people's ratios. */
export const NAMESPACE_POD_QUERIES = {
  running: 'sum by (cluster, namespace) (kube_pod_status_phase{phase="Running"})',
  total: 'sum by (cluster, namespace) (kube_pod_status_phase)',
} as const;

export class PrometheusHealthSource implements HealthSource {
  readonly #client: PrometheusClient;
  readonly #ttlMs: number;
  #cached: { at: number; value: Promise<HealthSummary> } | undefined;

  readonly defs: readonly HealthPanelDef[];
  readonly limits: PanelLimits;
  readonly #queries: Record<keyof ClusterHealth, string>;

  /** Panel id → the query reading its recorded series (health.recordingRules); empty when off. */
  readonly #recorded: ReadonlyMap<string, string>;
  /** Upstream answers shared between people (keyed by the enforced text); none: every call asks. */
  readonly #cache: QueryCache | undefined;
  readonly #plan: FleetPlanKind;
  /** Panel id → its recorded fleet band (health.recordingRules); empty when off. */
  readonly #fleetBands: ReadonlyMap<string, FleetBandRecord>;
  /** Checked fleet bands, kept as long as the response cache keeps answers; none without it. */
  readonly #checkedBands: TtlCache<Promise<CheckedBand | undefined>> | undefined;
  /** The panels' table queries asked together (table-batch.ts); none when `batch` is false. */
  readonly #tables: TableBatcher | undefined;
  /** The recorded fleet bands read and checked together (recorded-fleet-band.ts); none when `batch` is false. */
  readonly #bands: BandReader | undefined;

  constructor(
    client: PrometheusClient,
    defs: readonly HealthPanelDef[],
    options: {
      ttlMs?: number;
      apiserverJob?: string;
      limits?: PanelLimits;
      recorded?: ReadonlyMap<string, string>;
      /** The recorded fleet bands, read for people who see every cluster in them (recorded-fleet-band.ts). */
      fleetBands?: ReadonlyMap<string, FleetBandRecord>;
      cache?: QueryCache;
      /** How Prometheus summarises a recorded panel (prometheus-fleet.ts): 3 queries by default. */
      plan?: FleetPlanKind;
      /**
       * The recorded panels' tables as one instant query, and their recorded bands as one read and one
       * check (default); false: each panel asks its own (the bench's "before").
       */
      batch?: boolean;
    } = {},
  ) {
    this.#client = client;
    this.#recorded = options.recorded ?? new Map();
    this.#fleetBands = options.fleetBands ?? new Map();
    // Nine panels × the ranges people look at: a few hundred small bands at most.
    this.#checkedBands = options.cache && new TtlCache(options.cache.ttlMs, 512);
    this.#cache = options.cache;
    this.#tables = options.batch === false ? undefined : new TableBatcher(client, options.cache);
    this.#bands = options.batch === false ? undefined : new BandReader(client);
    this.#plan = options.plan ?? 'band';
    this.defs = defs;
    this.limits = options.limits ?? DEFAULT_PANEL_LIMITS;
    this.#queries = summaryQueries(options.apiserverJob ?? 'kubernetes-apiservers');
    this.#ttlMs = options.ttlMs ?? 15_000;
  }

  series(def: HealthPanelDef, access: PromAccess, window: ResolvedWindow): Promise<PanelSeries> {
    return prometheusPanelSeries(this.#client, panelQuery(def, access, this.#recorded), access, window, this.#cache);
  }

  /**
   * Over a recorded series Prometheus summarises (a merged band query, the table, the worst clusters); over an expression the
   * BFF does, from one by-cluster query: each band figure would evaluate the expression again.
   */
  async fleetPanel(
    def: HealthPanelDef,
    access: PromAccess,
    window: ResolvedWindow,
    worstN: number,
    options: FleetPanelCall = {},
  ): Promise<FleetPanelSummary> {
    const query = panelQuery(def, access, this.#recorded);
    if (query !== def.query) {
      return prometheusFleetPanel(this.#client, def, query, access, window, worstN, {
        plan: this.#plan,
        cache: this.#cache,
        fleetBand: options.everyCluster === true ? this.#fleetBands.get(def.id) : undefined,
        fleetBandCache: this.#checkedBands,
        tables: this.#tables,
        bands: this.#bands,
      });
    }
    const answer = await prometheusPanelSeries(this.#client, query, access, window, this.#cache);
    // The same series object while the response cache keeps its answer (prometheus-panels.ts): summarised once.
    const summary = summaries.get([answer.series], `${def.worse} ${worstN}`, () => summarize(answer.series, def.worse, worstN));
    return { ...summary, warnings: answer.warnings };
  }

  /** One fleet-wide answer per TTL, shared by everyone (each person's view is filtered after). */
  summary(): Promise<HealthSummary> {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < this.#ttlMs) return this.#cached.value;
    const value = this.#fetch();
    this.#cached = { at: now, value };
    return value;
  }

  async #fetch(): Promise<HealthSummary> {
    const clusters = new Map<string, ClusterHealth>();
    const pods = new Map<string, NamespacePods>();
    const errors: PartialError[] = [];
    const entry = (name: string) => {
      let h = clusters.get(name);
      if (!h) clusters.set(name, (h = {}));
      return h;
    };
    let namespaceError: string | undefined;
    const namespacePods = (Object.entries(NAMESPACE_POD_QUERIES) as ['running' | 'total', string][]).map(async ([field, query]) => {
      try {
        for (const s of await this.#client.instant(query)) {
          const { cluster, namespace } = s.metric;
          const v = Number(s.value[1]);
          if (!cluster || !namespace || !Number.isFinite(v)) continue;
          let perNs = pods.get(cluster);
          if (!perNs) pods.set(cluster, (perNs = new Map<string, { running: number; total: number }>()));
          const p = perNs.get(namespace) ?? { running: 0, total: 0 };
          p[field] = Math.max(0, v);
          perNs.set(namespace, p);
        }
      } catch (err) {
        namespaceError = `pods per namespace: ${(err as Error).message}`;
      }
    });
    await Promise.all([
      ...namespacePods,
      ...(Object.entries(this.#queries) as [keyof ClusterHealth, string][]).map(async ([field, query]) => {
        try {
          for (const s of await this.#client.instant(query)) {
            const cluster = s.metric.cluster;
            const v = Number(s.value[1]);
            if (!cluster || !Number.isFinite(v)) continue;
            const h = entry(cluster);
            if (field === 'apiUp') h.apiUp = v >= 1;
            else if (field === 'podHealthRatio') h.podHealthRatio = Math.min(1, Math.max(0, v));
            else h[field] = Math.max(0, Math.round(v));
          }
        } catch (err) {
          errors.push({ source: 'prometheus', reason: `${field}: ${(err as Error).message}` });
        }
      }),
    ]);
    if (namespaceError) errors.push({ source: 'prometheus', reason: namespaceError });
    return { clusters, pods, at: new Date(), errors };
  }
}
