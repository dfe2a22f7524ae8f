import { enforceLogQL, logAccess, type LogAccess } from '../../bff/src/access/logql/index.ts';
import { ALL_QUERIES, METRIC_QUERIES } from '../../bff/test/unit/logql-corpus.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';

/** Per-call times in µs of `enforceLogQL` over `queries`, `rounds` times each, after a warm-up. */
function time(queries: readonly string[], access: LogAccess, rounds: number): number[] {
  for (const q of queries) enforceLogQL(q, access);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const start = performance.now();
      const out = enforceLogQL(q, access);
      samples.push((performance.now() - start) * 1000);
      if ('error' in out) throw new Error(`bench query refused: ${q}: ${out.error}`);
    }
  }
  return samples;
}

/**
 * The LogQL enforcer (parse, splice, re-parse, verify) on the hand-written corpus, every
 * query under 1 KB: one group (a tenant admin over 200 clusters), a namespace-limited
 * group, and three groups (the `or` rewrite, metric queries only), plus one dense query
 * of about 1 KB with eight range aggregations.
 */
export function logqlBenchmarks(): BenchRecord[] {
  const clusters = Array.from({ length: 200 }, (_, i) => `client-a-prod-${String(i).padStart(3, '0')}`);
  const tenant = logAccess([{ clusters, namespaces: '*' }]);
  const team = logAccess([{ clusters: clusters.slice(0, 20), namespaces: ['team-a-*', 'shared'] }]);
  const three = logAccess([
    { clusters: clusters.slice(0, 5), namespaces: '*' },
    { clusters: clusters.slice(5, 10), namespaces: ['team-a-*'] },
    { clusters: clusters.slice(10, 15), namespaces: ['team-a-*', 'shared'] },
  ]);
  const part = 'sum by (namespace) (rate({app="api", tier=~"web|backend"} |= "error" | json | status >= 500 [5m]))';
  const dense = Array.from({ length: 8 }, () => part).join(' + ');
  if (dense.length > 1024 || ALL_QUERIES.some((q) => q.length > 1024)) throw new Error('bench queries must stay under 1 KB');

  // Goals: per query well under a millisecond; the dense query is parsed twice by lezer
  // (about 0.35 ms for its 0.8 KB, 0.7 ms for the 3.6 KB it becomes), which dominates.
  const cases: [string, readonly string[], LogAccess, number][] = [
    [`${ALL_QUERIES.length} corpus queries, 1 group of 200 clusters`, ALL_QUERIES, tenant, 1000],
    [`${ALL_QUERIES.length} corpus queries, 1 namespace-limited group`, ALL_QUERIES, team, 1000],
    [`${METRIC_QUERIES.length} metric queries, 3 groups (or rewrite)`, METRIC_QUERIES, three, 1000],
    ['0.8 KB query with 8 range aggregations, 3 groups', [dense], three, 5000],
  ];
  const out: BenchRecord[] = [];
  for (const [label, queries, access, goal] of cases) {
    const samples = time(queries, access, Math.max(20, Math.ceil(4000 / queries.length)));
    out.push(record('logs', `LogQL enforce p50 — ${label}`, round(percentile(samples, 50), 1), 'µs'));
    out.push(record('logs', `LogQL enforce p95 — ${label}`, round(percentile(samples, 95), 1), 'µs', { goal }));
  }
  return out;
}
