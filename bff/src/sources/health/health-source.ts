import type { Cluster, ClusterHealth, HealthPanel, HealthRange, PartialError } from '@fleetdeck/shared';

import { compileGlob } from '@fleetdeck/shared';

import { CLUSTER_WIDE_ONLY, RANGE_SECONDS, clusterPanelQueries, stepFor, type PanelQuery } from './cluster-panels.ts';

import type { PrometheusClient } from '../prometheus/prometheus-client.ts';

/** Pods per namespace of one cluster, so namespace-limited people get their own ratio. */
export type NamespacePods = Map<string, { running: number; total: number }>;

export interface HealthSummary {
  clusters: Map<string, ClusterHealth>;
  /** cluster → namespace → pods; present where the upstream reports namespaces. */
  pods: Map<string, NamespacePods>;
  at: Date;
  errors: PartialError[];
}

/** Where the fleet's health comes from: Prometheus/Thanos, or the demo. */
export interface HealthSource {
  summary(): Promise<HealthSummary>;
  /**
   * One cluster's panels over a range; each panel fails on its own. `namespaces`: the
   * person's namespace globs on that cluster (`"*"`: the whole cluster).
   */
  panels(cluster: string, range: HealthRange, namespaces?: '*' | readonly string[], now?: Date): Promise<HealthPanel[]>;
}

/** A panel with no query is a cluster-wide figure the person may not see: said, not drawn. */
export function restrictedPanel({ id, title, unit }: PanelQuery, cluster: string): HealthPanel {
  return { id, title, unit, series: [], errors: [{ source: 'access', cluster, reason: CLUSTER_WIDE_ONLY }] };
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
export const HEALTH_QUERIES = {
  apiUp: 'max by (cluster) (up{job="kubernetes-apiservers"})',
  nodesReady: 'sum by (cluster) (kube_node_status_condition{condition="Ready",status="true"})',
  nodesTotal: 'count by (cluster) (kube_node_status_condition{condition="Ready",status="true"})',
  podHealthRatio: 'sum by (cluster) (kube_pod_status_phase{phase="Running"}) / sum by (cluster) (kube_pod_status_phase)',
  violations: 'sum by (cluster) (gatekeeper_violations)',
} as const satisfies Record<keyof ClusterHealth, string>;

/** Pods per (cluster, namespace): one query each, fleet-wide, for namespace-limited people's ratios. */
export const NAMESPACE_POD_QUERIES = {
  running: 'sum by (cluster, namespace) (kube_pod_status_phase{phase="Running"})',
  total: 'sum by (cluster, namespace) (kube_pod_status_phase)',
} as const;

export class PrometheusHealthSource implements HealthSource {
  readonly #client: PrometheusClient;
  readonly #ttlMs: number;
  #cached: { at: number; value: Promise<HealthSummary> } | undefined;

  constructor(client: PrometheusClient, options: { ttlMs?: number } = {}) {
    this.#client = client;
    this.#ttlMs = options.ttlMs ?? 15_000;
  }

  panels(cluster: string, range: HealthRange, namespaces: '*' | readonly string[] = '*', now = new Date()): Promise<HealthPanel[]> {
    const start = new Date(now.getTime() - RANGE_SECONDS[range] * 1000);
    return Promise.all(
      clusterPanelQueries(cluster, namespaces).map(async (q): Promise<HealthPanel> => {
        const { query, ...panel } = q;
        if (query === undefined) return restrictedPanel(q, cluster);
        try {
          const series = await this.#client.range(query, start, now, stepFor(range));
          const samples = (series[0]?.values ?? []).map(([t, v]): [number, number] => [t, Number(v)]).filter(([, v]) => Number.isFinite(v));
          return { ...panel, series: samples.length > 0 ? [{ cluster, samples }] : [], errors: [] };
        } catch (err) {
          return { ...panel, series: [], errors: [{ source: 'prometheus', cluster, reason: (err as Error).message }] };
        }
      }),
    );
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
      ...(Object.entries(HEALTH_QUERIES) as [keyof ClusterHealth, string][]).map(async ([field, query]) => {
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

/** The demo's health: plausible, stable numbers derived from each demo cluster's state. */
export class DemoHealthSource implements HealthSource {
  readonly #clusters: () => readonly Cluster[];

  constructor(clusters: () => readonly Cluster[]) {
    this.#clusters = clusters;
  }

  /** Smooth daily curves around each cluster's summary values; no Prometheus in the demo. */
  async panels(cluster: string, range: HealthRange, namespaces: '*' | readonly string[] = '*', now = new Date()): Promise<HealthPanel[]> {
    const summary = await this.summary();
    const all = summary.clusters.get(cluster) ?? {};
    // A namespace-limited person's pod ratio is their namespaces' (the summary says which).
    const health = healthForNamespaces(all, summary.pods.get(cluster), namespaces) ?? {};
    const step = stepFor(range);
    const end = Math.floor(now.getTime() / 1000 / step) * step;
    const times = Array.from({ length: Math.floor(RANGE_SECONDS[range] / step) + 1 }, (_, i) => end - RANGE_SECONDS[range] + i * step);
    const wave = (t: number, amp: number) => amp * Math.sin((t / 86_400) * 2 * Math.PI);
    const value: Record<HealthPanel['id'], (t: number) => number | undefined> = {
      apiAvailability: () => (health.apiUp === undefined ? undefined : health.apiUp ? 1 : 0),
      nodesReady: () => health.nodesReady,
      podHealthRatio: (t) => (health.podHealthRatio === undefined ? undefined : Math.min(1, health.podHealthRatio + wave(t, 0.02))),
      gitopsSync: () => (health.apiUp === undefined ? undefined : 1),
      violations: () => health.violations,
      failedAuth: (t) => (health.apiUp === undefined ? undefined : Math.max(0, 0.05 + wave(t, 0.04))),
      cpu: (t) => (health.apiUp === undefined ? undefined : 0.45 + wave(t, 0.2)),
      memory: (t) => (health.apiUp === undefined ? undefined : 0.6 + wave(t, 0.1)),
    };
    return clusterPanelQueries(cluster, namespaces).map((q) => {
      const { id, title, unit } = q;
      if (q.query === undefined) return restrictedPanel(q, cluster);
      const samples = times
        .map((t): [number, number | undefined] => [t, value[id](t)])
        .filter((s): s is [number, number] => s[1] !== undefined);
      return { id, title, unit, series: samples.length > 0 ? [{ cluster, samples }] : [], errors: [] };
    });
  }

  summary(): Promise<HealthSummary> {
    const clusters = new Map<string, ClusterHealth>();
    const pods = new Map<string, NamespacePods>();
    for (const c of this.#clusters()) {
      const nodes = c.nodeCount ?? 1;
      const seed = [...c.name].reduce((a, ch) => a + ch.charCodeAt(0), 0);
      if (c.state === 'Unknown') {
        clusters.set(c.name, {});
        continue;
      }
      clusters.set(c.name, {
        apiUp: c.state !== 'NotReady',
        nodesTotal: nodes,
        nodesReady: c.state === 'Ready' ? nodes : Math.max(0, nodes - 1),
        podHealthRatio: c.state === 'Ready' ? 0.95 + (seed % 5) / 100 : 0.6,
        violations: seed % 4,
      });
      // The tenant's apps, and the cluster's own system pods (which limp a little).
      const apps = 8 * nodes;
      const running = c.state === 'Ready' ? apps - (seed % 3) : Math.round(apps * 0.6);
      pods.set(
        c.name,
        new Map([
          [`${c.tenant}-apps`, { running, total: apps }],
          ['kube-system', { running: 2 * nodes, total: 2 * nodes + 1 }],
        ]),
      );
    }
    return Promise.resolve({ clusters, pods, at: new Date(), errors: [] });
  }
}
