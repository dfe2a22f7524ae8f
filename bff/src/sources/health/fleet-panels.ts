import type { FleetHealthPanel, HealthPanel, HealthPanelDef, PartialError } from '@fleetdeck/shared';

import type { PromAccess } from '../../access/promql/index.ts';
import { CLUSTER_WIDE_ONLY, clustersIn, type PanelAccesses } from './panel-access.ts';
import type { HealthSource } from './health-source.ts';
import type { FleetPanelSummary } from './prometheus-fleet.ts';
import { PanelError, type PanelSeries } from './prometheus-panels.ts';
import { summarize } from './summarize.ts';
import type { ResolvedWindow } from './window.ts';

/** Where one panel's series come from (Prometheus/Thanos, or the demo). */
export type SeriesFn = (def: HealthPanelDef, access: PromAccess, window: ResolvedWindow) => Promise<PanelSeries>;

/** A health source: summarised where the data is when it can (`fleetPanel`), else from its series. */
export type PanelSource = SeriesFn | Pick<HealthSource, 'series' | 'fleetPanel'>;

const NOTHING: PanelSeries['series'] = new Map();

/**
 * One panel under the access its audience gives: nothing to run (no cluster the person sees
 * whole, for a cluster-wide figure) is said, not drawn; a failure is the panel's own error.
 */
async function runPanel<T>(
  run: (access: PromAccess) => Promise<T & { warnings: string[] }>,
  def: HealthPanelDef,
  accesses: PanelAccesses,
  empty: T,
): Promise<T & { warnings: string[]; errors: PartialError[] }> {
  const access = accesses[def.audience];
  if (access.groups.length === 0) {
    // Someone who sees clusters, only some namespaces of each, is told why; someone who sees none gets empty panels.
    const hidden = clustersIn(accesses.anyViewer) > 0;
    return { ...empty, warnings: [], errors: hidden ? [{ source: 'access', reason: CLUSTER_WIDE_ONLY }] : [] };
  }
  try {
    return { ...(await run(access)), errors: [] };
  } catch (err) {
    if (err instanceof PanelError) return { ...empty, warnings: [], errors: [{ source: err.source, reason: err.message }] };
    throw err;
  }
}

const seriesOf = (source: PanelSource): SeriesFn => (typeof source === 'function' ? source : (d, a, w) => source.series(d, a, w));
const NO_SUMMARY = { band: [], worst: [], table: [] };

/**
 * Every panel of `defs` fleet-wide, concurrently, each summarised (band, worst clusters,
 * table) — by the source where it can (Prometheus: a few small queries per panel), else
 * here from every cluster's series; each fails on its own.
 */
export function fleetPanelSet(
  source: PanelSource,
  defs: readonly HealthPanelDef[],
  accesses: PanelAccesses,
  window: ResolvedWindow,
  worstN: number,
): Promise<FleetHealthPanel[]> {
  const fleet = typeof source === 'function' ? undefined : source.fleetPanel?.bind(source);
  const series = seriesOf(source);
  return Promise.all(
    defs.map(async (def): Promise<FleetHealthPanel> => {
      const r = await runPanel<Omit<FleetPanelSummary, 'warnings'>>(
        async (access) => {
          if (fleet) return fleet(def, access, window, worstN, { everyCluster: accesses.everyCluster === true });
          const answer = await series(def, access, window);
          return { ...summarize(answer.series, def.worse, worstN), warnings: answer.warnings };
        },
        def,
        accesses,
        NO_SUMMARY,
      );
      return { def, band: r.band, worst: r.worst, table: r.table, tableSize: r.table.length, warnings: r.warnings, errors: r.errors };
    }),
  );
}

/** The same panels for one cluster (`accesses` cut to that cluster): its one series each. */
export function clusterPanelSet(
  series: PanelSource,
  defs: readonly HealthPanelDef[],
  accesses: PanelAccesses,
  cluster: string,
  window: ResolvedWindow,
): Promise<HealthPanel[]> {
  return Promise.all(
    defs.map(async (def): Promise<HealthPanel> => {
      const r = await runPanel((access) => seriesOf(series)(def, access, window), def, accesses, { series: NOTHING });
      const samples = r.series.get(cluster);
      return {
        id: def.id,
        title: def.title,
        unit: def.unit,
        help: def.help,
        series: samples ? [{ cluster, samples }] : [],
        warnings: r.warnings,
        errors: r.errors.map((e) => ({ ...e, cluster })),
      };
    }),
  );
}
