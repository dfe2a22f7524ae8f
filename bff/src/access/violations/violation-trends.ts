import type { Cluster, PartialError, Scope, ViolationTrends } from '@fleetdeck/shared';

import { PrometheusError, PrometheusQueryError, type PrometheusClient } from '../../sources/prometheus/prometheus-client.ts';
import { seriesVisible, viewFor } from '../promql/answer-filter.ts';
import { enforcePromQL, promAccess, promAccessFor, type PromAccess } from '../promql/index.ts';
import { namespacePatterns, visibleClusters } from '../scope-checks.ts';

type Range = ViolationTrends['range'];
type Series = ViolationTrends['series'][number];
type Source = Series['source'];
type ClusterRef = Pick<Cluster, 'name' | 'tenant' | 'environment'>;

/** `limited`: the person is namespace-limited somewhere (cluster-wide series leave those clusters out). */
export interface TrendAccess {
  namespaces: PromAccess;
  whole: PromAccess;
  limited: boolean;
}

export const RANGE_SECONDS: Record<Range, number> = { '1h': 3600, '6h': 6 * 3600, '24h': 24 * 3600, '7d': 7 * 24 * 3600 };
/** About a hundred points per range. */
export const RANGE_STEP: Record<Range, number> = { '1h': 60, '6h': 300, '24h': 900, '7d': 6300 };

/**
 * The trend queries. Gatekeeper's gauge and the ClusterPolicyReport gauge have no
 * namespace: they are cluster-wide figures, read only over clusters the person sees whole.
 * Policy Reporter's `policy_report_result` has one, and runs over their namespaces.
 * (`kyverno_policy_results_total` counts admissions, not current state: not used.)
 */
const QUERIES: { source: Source; query: string; wholeOnly: boolean; label: (m: Record<string, string>) => string }[] = [
  {
    source: 'gatekeeper_violations',
    query: 'sum by (cluster, enforcement_action) (gatekeeper_violations)',
    wholeOnly: true,
    label: (m) => `gatekeeper ${m.enforcement_action ?? 'unknown'}`,
  },
  {
    source: 'policy_report_result',
    query: 'sum by (cluster, status, severity) (policy_report_result{status=~"fail|warn|error"})',
    wholeOnly: false,
    label: (m) => `kyverno ${m.status ?? '?'} ${m.severity || 'unknown'}`,
  },
  {
    source: 'cluster_policy_report_result',
    query: 'sum by (cluster, status, severity) (cluster_policy_report_result{status=~"fail|warn|error"})',
    wholeOnly: true,
    label: (m) => `kyverno cluster-scoped ${m.status ?? '?'} ${m.severity || 'unknown'}`,
  },
];

export const CLUSTER_WIDE_TRENDS = 'Gatekeeper and cluster-scoped trends are cluster-wide figures: they need a wider role';

/** The accesses the trend queries run under for one person, from the same scope checks as every Prometheus read. */
export function trendAccesses(scope: Scope, clusters: readonly ClusterRef[]): TrendAccess {
  const whole: string[] = [];
  let limited = false;
  for (const c of visibleClusters(scope, clusters)) {
    if (namespacePatterns(scope, c) === '*') whole.push(c.name);
    else limited = true;
  }
  return {
    namespaces: promAccessFor(scope, clusters),
    whole: promAccess(whole.length > 0 ? [{ clusters: whole, namespaces: '*' }] : []),
    limited,
  };
}

/**
 * Trends from Prometheus over what the person may see: each query limited by the enforcer,
 * each answer filtered again (the second wall), summed over clusters per label. Prometheus
 * down or refusing: an error entry, never a failed page.
 */
export async function prometheusTrends(client: PrometheusClient, access: TrendAccess, range: Range, now: number): Promise<ViolationTrends> {
  const step = RANGE_STEP[range];
  const end = Math.floor(now / 1000 / step) * step;
  const start = end - RANGE_SECONDS[range];
  const series: Series[] = [];
  const warnings = new Set<string>();
  const errors: PartialError[] = [];
  if (access.limited) warnings.add(CLUSTER_WIDE_TRENDS);
  await Promise.all(
    QUERIES.map(async (q) => {
      const scopeAccess = q.wholeOnly ? access.whole : access.namespaces;
      if (scopeAccess.groups.length === 0) return;
      const enforced = enforcePromQL(q.query, scopeAccess);
      if ('error' in enforced) return void errors.push({ source: q.source, reason: enforced.error });
      try {
        const answer = await client.rangeRaw(enforced.query, start, end, step);
        for (const w of answer.warnings) warnings.add(`${q.source}: ${w}`);
        if (answer.data.resultType !== 'matrix' || !Array.isArray(answer.data.result)) {
          return void errors.push({ source: q.source, reason: 'Prometheus gave an answer of an unexpected shape' });
        }
        const view = viewFor(scopeAccess);
        const sums = new Map<string, Map<number, number>>();
        for (const row of answer.data.result) {
          if (!seriesVisible(view, row.metric)) continue;
          const label = q.label(row.metric);
          const points = sums.get(label) ?? new Map<number, number>();
          sums.set(label, points);
          for (const [t, v] of row.values ?? []) {
            const n = Number(v);
            if (Number.isFinite(n)) points.set(t, (points.get(t) ?? 0) + n);
          }
        }
        for (const [label, points] of sums) {
          series.push({ label, source: q.source, points: [...points].sort((a, b) => a[0] - b[0]) });
        }
      } catch (err) {
        if (!(err instanceof PrometheusError)) throw err;
        const detail = err instanceof PrometheusQueryError && err.promMessage ? `: ${err.promMessage}` : '';
        errors.push({ source: q.source, reason: `${err.message}${detail}` });
      }
    }),
  );
  series.sort((a, b) => a.source.localeCompare(b.source) || a.label.localeCompare(b.label));
  return { range, step, series, warnings: [...warnings], errors };
}
