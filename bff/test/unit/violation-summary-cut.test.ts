import { describe, expect, it } from 'vitest';

import { ViolationSeverity, type Violation, type ViolationFilters, type ViolationSummary } from '@fleetdeck/shared';

import { filterScoped } from '../../src/access/violations/violation-filter.ts';
import { scopeSnapshot } from '../../src/access/violations/violation-scope.ts';
import { summarize } from '../../src/access/violations/violation-summary.ts';
import { ViolationViews } from '../../src/access/violations/violation-views.ts';
import type { ViolationSnapshot } from '../../src/sources/violations/violation-source.ts';
import { A_ADMIN, A_DEV, B_VIEWER, CLUSTERS, FixedSource, PLATFORM, snapshot } from './violations-fixtures.ts';

/**
 * The summary the page asks for (busiest policies × clusters, busiest namespaces) is built
 * from per-cluster counts walked in name order and ranked with a bounded heap. These tests
 * hold it to the plain way: summarise every row the person may see, sort everything, take
 * the first `limit`.
 */
function rows(seed: number, count: number): Violation[] {
  let s = seed;
  const next = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const namespaces = ['client-a-web', 'client-a-apps', 'client-b-web', 'kube-system', 'client-b-jobs', undefined];
  return Array.from({ length: count }, (_, i) => {
    const c = CLUSTERS[next(CLUSTERS.length)]!;
    const gk = next(3) === 0;
    const ns = namespaces[next(namespaces.length)];
    return {
      id: `c${seed}-${String(i).padStart(4, '0')}`,
      engine: gk ? 'gatekeeper' : 'kyverno',
      cluster: c.name,
      policy: ['require-labels', 'deny-latest-tag', 'K8sRequiredLabels/owner', 'require-limits', 'deny-host-network'][next(5)]!,
      severity: ViolationSeverity.options[next(6)]!,
      action: gk ? 'deny' : 'audit',
      result: 'fail',
      resource: { kind: 'Deployment', ...(ns !== undefined && { namespace: ns }), name: `app-${next(40)}` },
      message: `m${next(5)}`,
    } satisfies Violation;
  });
}

/** A snapshot whose Kyverno counts also name namespaces without a violation row (they sort in between). */
function snap(seed: number, count: number): ViolationSnapshot {
  const violations = rows(seed, count);
  const byCluster = new Map<string, Violation[]>();
  for (const v of violations) byCluster.set(v.cluster, [...(byCluster.get(v.cluster) ?? []), v]);
  const base = snapshot(1);
  return {
    ...base,
    violations,
    byCluster,
    namespaceCounts: [
      ...base.namespaceCounts,
      ...CLUSTERS.flatMap((c) => [
        { cluster: c.name, namespace: `${c.tenant}-batch`, pass: 3, warn: 1, fail: 2, error: 0, skip: 0 },
        { cluster: c.name, namespace: 'a-first', pass: 1, warn: 0, fail: 4, error: 1, skip: 0 },
      ]),
    ],
  };
}

const ord = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The plain way: everything summarised and sorted, then the first `limit` of each ranking. */
function plainCut(s: ViolationSnapshot, who: typeof PLATFORM, f: ViolationFilters, heat: number, nsLimit: number): ViolationSummary {
  const full = summarize(filterScoped(scopeSnapshot(s, who, CLUSTERS), f));
  const totals = (key: 'policy' | 'cluster') => {
    const m = new Map<string, number>();
    for (const c of full.byPolicyCluster) m.set(c[key], (m.get(c[key]) ?? 0) + c.count);
    return [...m].sort((a, b) => b[1] - a[1] || ord(a[0], b[0]));
  };
  const policies = totals('policy');
  const clusters = totals('cluster');
  const cut = policies.length > heat || clusters.length > heat;
  const topP = new Set(policies.slice(0, heat).map(([p]) => p));
  const topC = new Set(clusters.slice(0, heat).map(([c]) => c));
  const busiest = [...full.byNamespace]
    .sort((a, b) => b.violations - a.violations || b.fail - a.fail || ord(a.cluster, b.cluster) || ord(a.namespace, b.namespace))
    .slice(0, nsLimit);
  return {
    ...full,
    byPolicyCluster: full.byPolicyCluster.filter((c) => !cut || (topP.has(c.policy) && topC.has(c.cluster))),
    byNamespace: full.byNamespace.filter((r) => busiest.includes(r)),
    heatMap: {
      policies: policies.length,
      clusters: clusters.length,
      cut,
      policyTotals: policies.slice(0, heat).map(([policy, count]) => ({ policy, count })),
      clusterTotals: clusters.slice(0, heat).map(([cluster, count]) => ({ cluster, count })),
    },
    namespaces: { total: full.byNamespace.length, cut: full.byNamespace.length > nsLimit },
  };
}

const PEOPLE = { PLATFORM, A_ADMIN, A_DEV, B_VIEWER };
const FILTERS: ViolationFilters[] = [
  {},
  { tenant: 'client-a' },
  { cluster: 'b-prod' },
  { env: 'production' },
  { namespace: 'kube-system' },
  { namespace: 'client-a-batch' },
  { severity: 'high' },
  { engine: 'kyverno', tenant: 'client-b' },
];
const LIMITS = [
  [1, 1],
  [2, 3],
  [3, 7],
  [30, 200],
] as const;

describe('the cut violation summary', () => {
  for (const [seed, count] of [
    [5, 300],
    [9, 40],
  ] as const) {
    const s = snap(seed, count);
    const views = new ViolationViews(new FixedSource(s), () => ({ version: 1, clusters: CLUSTERS }));
    for (const who of Object.keys(PEOPLE) as (keyof typeof PEOPLE)[]) {
      it(`equals the plain way for ${who} (${count} rows), every filter and limit`, () => {
        for (const f of FILTERS) {
          for (const [heat, ns] of LIMITS) {
            expect(views.summary(PEOPLE[who], f, { heatMap: heat, namespaces: ns }), JSON.stringify([f, heat, ns])).toEqual(
              plainCut(s, PEOPLE[who], f, heat, ns),
            );
          }
        }
      });
    }
  }

  it('keeps a namespace with only Kyverno counts, in name order, and leaves hidden namespaces out for a Developer', () => {
    const s = snap(5, 300);
    const views = new ViolationViews(new FixedSource(s), () => ({ version: 1, clusters: CLUSTERS }));
    const all = views.summary(PLATFORM, { cluster: 'a-prod' });
    const names = all.byNamespace.map((r) => r.namespace);
    expect(names).toEqual([...names].sort(ord));
    expect(all.byNamespace.find((r) => r.namespace === 'client-a-batch')).toMatchObject({ violations: 0, fail: 2, pass: 3 });
    const dev = views.summary(A_DEV, {}, { heatMap: 30, namespaces: 200 });
    expect(dev.byNamespace.length).toBeGreaterThan(0);
    expect(dev.byNamespace.every((r) => r.namespace.startsWith('client-a-') && r.cluster === 'a-dev')).toBe(true);
    expect(dev.heatMap!.clusterTotals.map((c) => c.cluster)).toEqual(['a-dev']);
  });
});
