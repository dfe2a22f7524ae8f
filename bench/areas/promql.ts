import { enforcePromQL, promAccess, type PromAccess } from '../../bff/src/access/promql/index.ts';
import { analyse } from '../../bff/src/access/promql/tree.ts';
import { PROMQL_CORPUS } from '../../bff/test/unit/promql-corpus.ts';
import { record, type BenchRecord } from '../lib/record.ts';
import { percentile, round } from '../lib/stats.ts';

/** Per-query times in ms, each the best of `runs` (after a warm-up), over `queries`. */
function times(queries: readonly string[], run: (q: string) => unknown, runs = 20): number[] {
  for (const q of queries) run(q); // warm up
  return queries.map((q) => {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      run(q);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  });
}

/**
 * The tenant-safe PromQL enforcer: parse, rewrite and re-parse to verify, per query of the
 * unit-test corpus under 1 KB, for a Tenant Admin (one group of clusters) and a Developer
 * whose namespaces differ between clusters (three groups: every selector is copied per
 * group). Beside them, one lezer parse and tree walk of the same queries (`analyse`): the
 * floor, which the enforcer pays twice (before and after the rewrite). No naive baseline:
 * the naive enforcer (a regex over the text) is the bypass this replaces.
 */
export function promqlBenchmarks(): BenchRecord[] {
  const queries = PROMQL_CORPUS.filter((q) => q.length < 1024);
  const clusters = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const accesses: [string, PromAccess][] = [
    ['one group of 50 clusters', promAccess([{ clusters: clusters('prod', 50), namespaces: '*' }])],
    [
      'three groups (Developer)',
      promAccess([
        { clusters: clusters('dev', 10), namespaces: ['client-a-*'] },
        { clusters: clusters('prod', 10), namespaces: ['client-a-monitoring'] },
        { clusters: clusters('sandbox', 3), namespaces: '*' },
      ]),
    ],
  ];
  const n = `${queries.length} queries < 1 KB`;
  const p95 = (run: (q: string) => unknown) => round(percentile(times(queries, run), 95), 3);
  return [
    record('promql', `parse + walk p95 (the floor, paid twice), ${n}`, p95(analyse), 'ms'),
    ...accesses.map(([label, access]) =>
      record(
        'promql',
        `enforce p95, ${n}, ${label}`,
        p95((q) => enforcePromQL(q, access)),
        'ms',
        { goal: 1 },
      ),
    ),
  ];
}
