import type { ViolationTrends } from '@fleetdeck/shared';

import { namespaceLimited, type ScopedViolations } from './violation-scope.ts';
import { CLUSTER_WIDE_TRENDS, RANGE_SECONDS, RANGE_STEP } from './violation-trends.ts';

type Series = ViolationTrends['series'][number];

export const DEMO_TRENDS_WARNING = 'demo fleet: synthetic trends shaped around the current counts (no Prometheus)';

/** A small stable number per label, so each series keeps its own shape across requests. */
function phase(label: string): number {
  let h = 0;
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) >>> 0;
  return (h % 1000) / 1000;
}

/**
 * Demo mode's trends: for each series the current count of the person's own visible
 * violations (so scope holds exactly as in the list), with a deterministic daily-ish wave
 * behind it that ends at that count. Labels, sources and scope are the ones Prometheus
 * would give: Gatekeeper's gauge and cluster-scoped reports only where they see the whole cluster.
 */
export function demoTrends(scoped: ScopedViolations, range: ViolationTrends['range'], now: number): ViolationTrends {
  const current = new Map<string, { source: Series['source']; count: number }>();
  for (const v of scoped.violations) {
    if ((v.engine === 'gatekeeper' || v.resource.namespace === undefined) && scoped.reach.get(v.cluster)?.whole !== true) continue;
    const [label, source]: [string, Series['source']] =
      v.engine === 'gatekeeper'
        ? [`gatekeeper ${v.action}`, 'gatekeeper_violations']
        : v.resource.namespace === undefined
          ? [`kyverno cluster-scoped ${v.result} ${v.severity}`, 'cluster_policy_report_result']
          : [`kyverno ${v.result} ${v.severity}`, 'policy_report_result'];
    const entry = current.get(label) ?? { source, count: 0 };
    entry.count++;
    current.set(label, entry);
  }
  const step = RANGE_STEP[range];
  const end = Math.floor(now / 1000 / step) * step;
  const start = end - RANGE_SECONDS[range];
  const series: Series[] = [...current]
    .map(([label, { source, count }]) => {
      const p = phase(label) * 2 * Math.PI;
      const points: [number, number][] = [];
      for (let t = start; t <= end; t += step) {
        // 0 at `end`, so the line lands on today's count; up to ±30 % earlier.
        const wave = Math.sin((2 * Math.PI * (t - start)) / 86_400 + p) - Math.sin((2 * Math.PI * (end - start)) / 86_400 + p);
        points.push([t, Math.max(0, Math.round(count * (1 + 0.15 * wave)))]);
      }
      return { label, source, points };
    })
    .sort((a, b) => a.source.localeCompare(b.source) || a.label.localeCompare(b.label));
  return { range, step, series, warnings: [DEMO_TRENDS_WARNING, ...(namespaceLimited(scoped) ? [CLUSTER_WIDE_TRENDS] : [])], errors: [] };
}
