import type { Cluster } from '@fleetdeck/shared';

import { promAccess } from '../../access/promql/index.ts';
import { hash01, unhealthyClusters } from '../../sources/demo/health/demo-series.ts';
import type { HealthSource } from '../../sources/health/health-source.ts';
import type { Comparison, Figure, FiguresRequest, FiguresSource, WaveFigures } from './figures.ts';

/**
 * The demo's readiness figures (no Prometheus). Pod health is read from the demo health
 * source through the same panel definition as the health pages, so a cluster the cluster
 * page shows limping is the one readiness names. Error rate, restarts and violation counts
 * are stable functions of the cluster, like the rest of the demo: the clusters the demo
 * shows struggling also restart more.
 */
export class DemoFigures implements FiguresSource {
  readonly #health: () => HealthSource;
  readonly #clusters: () => readonly Cluster[];

  constructor(health: () => HealthSource, clusters: () => readonly Cluster[]) {
    this.#health = health;
    this.#clusters = clusters;
  }

  async figures(req: FiguresRequest): Promise<WaveFigures> {
    const all = this.#clusters();
    const known = new Set(all.map((c) => c.name));
    const sick = unhealthyClusters(all);
    const present = req.clusters.filter((c) => known.has(c));
    const podHealth = await this.#podHealth(present, req.end);
    const pairs = (f: (c: string) => Comparison): Figure<Comparison> => ({ values: new Map(present.map((c) => [c, f(c)])) });
    const minutes = Math.max(1, (req.end.getTime() - req.start.getTime()) / 60_000);
    return {
      podHealth,
      errorRate: pairs((c) => {
        const base = 0.001 + 0.004 * hash01(`err:${c}`);
        return { window: base + (sick.has(c) ? 0.003 : 0), before: base };
      }),
      restarts: pairs((c) => {
        const perHour = Math.floor(4 * hash01(`restarts:${c}`));
        const during = (perHour * minutes) / 60;
        return { window: Math.round(sick.has(c) ? 3 * during + 6 : during), before: perHour };
      }),
      violationCounts: pairs((c) => {
        const n = Math.floor(4 * hash01(`violations:${c}`));
        return { window: n, before: n };
      }),
      extras: new Map(req.extras.map((e) => [e.id, { error: 'configured checks need Prometheus; the demo has none' }])),
    };
  }

  async #podHealth(clusters: readonly string[], end: Date): Promise<Figure<number>> {
    const health = this.#health();
    const def = health.defs.find((d) => d.id === 'podHealthRatio');
    if (!def || clusters.length === 0) return { values: new Map() };
    const to = Math.floor(end.getTime() / 1000);
    try {
      const { series } = await health.series(def, promAccess([{ clusters, namespaces: '*' }]), {
        range: 'custom',
        from: to - 300,
        to,
        step: 60,
      });
      const values = new Map<string, number>();
      for (const [cluster, samples] of series) {
        const last = samples.at(-1);
        if (last) values.set(cluster, last[1]);
      }
      return { values };
    } catch {
      return { error: 'the demo health source did not answer' };
    }
  }
}
