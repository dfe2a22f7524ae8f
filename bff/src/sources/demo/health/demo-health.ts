import type { Cluster, ClusterHealth, HealthPanelDef, Sample } from '@fleetdeck/shared';

import type { PromAccess } from '../../../access/promql/index.ts';
import {
  DEFAULT_PANEL_LIMITS,
  type HealthSource,
  type HealthSummary,
  type NamespacePods,
  type PanelLimits,
} from '../../health/health-source.ts';
import type { PanelSeries } from '../../health/prometheus-panels.ts';
import type { ResolvedWindow } from '../../health/window.ts';
import { authSpikeCluster, demoValue, namespaceShare, unhealthyClusters, type DemoContext } from './demo-series.ts';

/**
 * The demo's health: synthetic series for the demo clusters (demo-series.ts), answered through
 * the same panel definitions and the same per-person access as Prometheus' — a person gets
 * series only for the clusters (and namespaces) of the access they are given. Never reaches a
 * real system.
 */
export class DemoHealthSource implements HealthSource {
  readonly #clusters: () => readonly Cluster[];
  readonly defs: readonly HealthPanelDef[];
  readonly limits: PanelLimits;

  constructor(clusters: () => readonly Cluster[], defs: readonly HealthPanelDef[], limits: PanelLimits = DEFAULT_PANEL_LIMITS) {
    this.#clusters = clusters;
    this.defs = defs;
    this.limits = limits;
  }

  series(def: HealthPanelDef, access: PromAccess, window: ResolvedWindow): Promise<PanelSeries> {
    const all = this.#clusters();
    const byName = new Map(all.map((c) => [c.name, c]));
    const ctx: DemoContext = { unhealthy: unhealthyClusters(all), authSpike: authSpikeCluster(all) };
    const times: number[] = [];
    for (let t = window.from; t <= window.to; t += window.step) times.push(t);
    const series = new Map<string, Sample[]>();
    for (const group of access.groups) {
      const share = namespaceShare(group.namespaces);
      for (const name of group.clusters) {
        const c = byName.get(name);
        if (!c) continue;
        const samples: Sample[] = [];
        for (const t of times) {
          const v = demoValue(def.id, c, t, ctx, share);
          if (v !== undefined) samples.push([t, v]);
        }
        if (samples.length > 0) series.set(name, samples);
      }
    }
    return Promise.resolve({ series, warnings: [] });
  }

  /** Plausible, stable at-a-glance numbers derived from each demo cluster's state. */
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
