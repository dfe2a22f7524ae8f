import { describe, expect, it } from 'vitest';

import {
  GATEKEEPER_ALL_CONSTRAINTS,
  ViolationSeverity,
  type CountsOnlyCount,
  type Violation,
  type ViolationFilters,
} from '@fleetdeck/shared';

import { filterScoped } from '../../src/access/violations/violation-filter.ts';
import { pageOf, sortRows } from '../../src/access/violations/violation-page.ts';
import { scopeSnapshot } from '../../src/access/violations/violation-scope.ts';
import { summarize } from '../../src/access/violations/violation-summary.ts';
import { ViolationViews } from '../../src/access/violations/violation-views.ts';
import { resetViolationWork, violationWork } from '../../src/access/violations/violation-work.ts';
import type { ViolationSnapshot } from '../../src/sources/violations/violation-source.ts';
import { A_ADMIN, A_DEV, B_VIEWER, CLUSTERS, FixedSource, PLATFORM, snapshot } from './violations-fixtures.ts';

/**
 * The views answer from per-cluster counts and sorted runs merged per request. These tests
 * hold them to the plain way (cut the whole snapshot, filter, sort, summarise) on a
 * varied snapshot, for every persona and many filters.
 */
function varied(seed: number, count = 400): Violation[] {
  let s = seed;
  const next = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const namespaces = ['client-a-web', 'client-a-apps', 'client-b-web', 'kube-system', undefined];
  return Array.from({ length: count }, (_, i) => {
    const c = CLUSTERS[next(CLUSTERS.length)]!;
    const gk = next(3) === 0;
    const ns = namespaces[next(namespaces.length)];
    return {
      id: `r${seed}-${String(i).padStart(4, '0')}`,
      engine: gk ? 'gatekeeper' : 'kyverno',
      cluster: c.name,
      // The same policy name in both engines now and then: cells stay per engine.
      policy: ['require-labels', 'deny-latest-tag', 'K8sRequiredLabels/owner', 'require-limits'][next(4)]!,
      severity: ViolationSeverity.options[next(6)]!,
      action: gk ? 'deny' : 'audit',
      result: 'fail',
      resource: { kind: ['Deployment', 'Pod', 'Namespace'][next(3)]!, ...(ns !== undefined && { namespace: ns }), name: `app-${next(50)}` },
      message: `message ${next(7)}`,
      lastSeenAt: new Date(Date.UTC(2026, 0, 1, 0, next(30))).toISOString(),
    } satisfies Violation;
  });
}

function grouped(violations: Violation[]): Map<string, Violation[]> {
  const m = new Map<string, Violation[]>();
  for (const v of violations) m.set(v.cluster, [...(m.get(v.cluster) ?? []), v]);
  return m;
}

const base = (violations: Violation[], version = 1): ViolationSnapshot => ({
  ...snapshot(version),
  violations,
  byCluster: grouped(violations),
});
const inventory = () => ({ version: 1, clusters: CLUSTERS });
const PEOPLE = { PLATFORM, A_ADMIN, A_DEV, B_VIEWER };
const FILTERS: ViolationFilters[] = [
  {},
  { tenant: 'client-a' },
  { cluster: 'a-dev' },
  { env: 'production' },
  { namespace: 'client-a-web' },
  { namespace: 'kube-system', tenant: 'client-a' },
  { engine: 'gatekeeper' },
  { severity: 'high' },
  { policy: 'require-labels', cluster: 'a-prod' },
  { kind: 'Pod' },
  { q: 'MESSAGE 3' },
  { tenant: 'client-b', severity: 'low', namespace: 'kube-system' },
];

function plain(snap: ViolationSnapshot, who: keyof typeof PEOPLE, f: ViolationFilters) {
  return filterScoped(scopeSnapshot(snap, PEOPLE[who], CLUSTERS), f);
}

describe('indexed violation views', () => {
  const snap = base(varied(7));
  const views = new ViolationViews(new FixedSource(snap), inventory);

  for (const who of Object.keys(PEOPLE) as (keyof typeof PEOPLE)[]) {
    it(`summarises like the plain way for ${who}, under every filter`, () => {
      for (const f of FILTERS) {
        const expected = summarize(plain(snap, who, f));
        const got = views.summary(PEOPLE[who], f);
        expect(got, JSON.stringify(f)).toEqual(expected);
        expect(views.total(PEOPLE[who], f), JSON.stringify(f)).toBe(expected.total);
      }
    });

    it(`pages like the plain way for ${who}, every sort and direction`, () => {
      for (const f of [{}, { namespace: 'client-a-web' }, { severity: 'medium' as const }, { tenant: 'client-a', q: 'message 1' }]) {
        const rows = plain(snap, who, f).violations;
        for (const sort of ['severity', 'cluster', 'policy', 'namespace', 'lastSeen'] as const) {
          for (const order of ['asc', 'desc'] as const) {
            const sorted = sortRows(rows, sort, order);
            let cursor: string | undefined;
            let guard = 0;
            do {
              const want = pageOf(sorted, cursor, 7);
              const got = views.page(PEOPLE[who], { ...f, sort, order, limit: 7, ...(cursor !== undefined && { cursor }) });
              expect(got.items.map((v) => v.id)).toEqual(want.items.map((v) => v.id));
              expect(got.nextCursor).toBe(want.nextCursor);
              expect(got.total).toBe(rows.length);
              cursor = want.nextCursor;
            } while (cursor !== undefined && ++guard < 200);
          }
        }
      }
    });
  }

  it('rebuilds only the cluster that changed, and answers from the new rows', () => {
    const source = new FixedSource(snap);
    const v = new ViolationViews(source, inventory);
    v.summary(PLATFORM, {});
    const aDev = snap.byCluster!.get('a-dev')!;
    const byCluster = new Map(snap.byCluster);
    byCluster.set('a-dev', aDev.slice(1));
    source.replace({ ...snap, version: 2, violations: [...byCluster.values()].flat(), byCluster }, ['a-dev']);
    resetViolationWork();
    expect(v.summary(PLATFORM, {}).total).toBe(snap.violations.length - 1);
    // Only a-dev's rows were counted again; the other clusters' counts were reused.
    expect(violationWork.indexedRows).toBe(aDev.length - 1);
    expect(v.page(PLATFORM, { limit: 500 }).items).toHaveLength(snap.violations.length - 1);
  });

  it('pages touch about the page, not the fleet', () => {
    const big = base(varied(11, 5000));
    const v = new ViolationViews(new FixedSource(big), inventory);
    v.page(PLATFORM, { limit: 20 });
    resetViolationWork();
    const page = v.page(PLATFORM, { limit: 20, sort: 'lastSeen' });
    v.page(PLATFORM, { limit: 20, sort: 'lastSeen', cursor: page.nextCursor! });
    // One sort per cluster for the new order, then about the page: never a pass over the fleet per request.
    expect(violationWork.visitedRows).toBeLessThan(2 * (20 + CLUSTERS.length) + 2);
  });

  it('interleaves clusters whose rows all share one key by id (no shortcut when keys tie across clusters)', () => {
    const rows = varied(3, 60).map((v) => ({ ...v, severity: v.cluster === 'b-prod' ? ('low' as const) : ('high' as const) }));
    const v = new ViolationViews(new FixedSource(base(rows)), inventory);
    const want = sortRows(rows, 'severity', 'asc').rows.map((x) => x.id);
    expect([...v.rows(PLATFORM, { sort: 'severity' })].map((x) => x.id)).toEqual(want);
    expect(v.page(PLATFORM, { sort: 'cluster', order: 'desc', limit: 500 }).items.map((x) => x.id)).toEqual(
      sortRows(rows, 'cluster', 'desc').rows.map((x) => x.id),
    );
  });

  it('cuts the heat map to the busiest policies × clusters and says its extent', () => {
    const s = views.summary(PLATFORM, {}, { heatMap: 1, namespaces: 2 });
    const all = views.summary(PLATFORM, {});
    const policies = new Map<string, number>();
    const clusters = new Map<string, number>();
    for (const c of all.byPolicyCluster) {
      policies.set(c.policy, (policies.get(c.policy) ?? 0) + c.count);
      clusters.set(c.cluster, (clusters.get(c.cluster) ?? 0) + c.count);
    }
    const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    expect(s.heatMap).toMatchObject({ policies: policies.size, clusters: clusters.size, cut: true });
    expect(s.heatMap!.policyTotals).toEqual([{ policy: top(policies)[0], count: top(policies)[1] }]);
    expect(s.byPolicyCluster.every((c) => c.policy === top(policies)[0] && c.cluster === top(clusters)[0])).toBe(true);
    expect(s.total).toBe(all.total);
    expect(all.heatMap).toBeUndefined();
    // The two busiest namespaces, in cluster, namespace order; the count of all of them.
    expect(s.namespaces).toEqual({ total: all.byNamespace.length, cut: true });
    const name = (r: { cluster: string; namespace: string }) => `${r.cluster}/${r.namespace}`;
    const busiest = [...all.byNamespace]
      .sort((a, b) => b.violations - a.violations || b.fail - a.fail || (name(a) < name(b) ? -1 : 1))
      .slice(0, 2);
    expect(new Set(s.byNamespace)).toEqual(new Set(busiest));
  });
});

describe('counts-only figures', () => {
  const counts: CountsOnlyCount[] = [
    {
      cluster: 'a-dev',
      engine: 'gatekeeper',
      policy: GATEKEEPER_ALL_CONSTRAINTS,
      severity: 'unknown',
      action: 'deny',
      count: 4,
      metric: 'gatekeeper_violations',
    },
    {
      cluster: 'a-dev',
      engine: 'kyverno',
      policy: 'require-labels',
      severity: 'high',
      namespace: 'client-a-web',
      count: 3,
      metric: 'policy_report_result',
    },
    {
      cluster: 'a-dev',
      engine: 'kyverno',
      policy: 'require-labels',
      severity: 'high',
      namespace: 'kube-system',
      count: 2,
      metric: 'policy_report_result',
    },
    {
      cluster: 'a-dev',
      engine: 'kyverno',
      policy: 'deny-privileged',
      severity: 'critical',
      count: 1,
      metric: 'cluster_policy_report_result',
    },
    {
      cluster: 'b-prod',
      engine: 'kyverno',
      policy: 'require-labels',
      severity: 'low',
      namespace: 'client-b-web',
      count: 6,
      metric: 'policy_report_result',
    },
  ];
  const views = new ViolationViews(new FixedSource({ ...snapshot(), countsOnly: counts }), inventory);

  it('gives a Platform Admin every figure, apart from the rows', () => {
    const s = views.summary(PLATFORM, {});
    expect(s.countsOnly?.total).toBe(16);
    expect(s.total).toBe(snapshot().violations.length);
    expect(s.countsOnly?.byPolicyCluster.find((c) => c.policy === GATEKEEPER_ALL_CONSTRAINTS)).toMatchObject({
      cluster: 'a-dev',
      count: 4,
    });
  });

  it('gives a Tenant Admin their clusters only, and a Developer only their namespaces’ Policy Reporter figures', () => {
    expect(views.summary(A_ADMIN, {}).countsOnly?.total).toBe(10);
    expect(JSON.stringify(views.summary(A_ADMIN, {}).countsOnly)).not.toContain('b-prod');
    const dev = views.summary(A_DEV, {}).countsOnly!;
    expect(dev.total).toBe(3);
    expect(dev.byPolicyCluster).toEqual([
      { policy: 'require-labels', engine: 'kyverno', cluster: 'a-dev', count: 3, metric: 'policy_report_result' },
    ]);
    expect(views.summary(B_VIEWER, {}).countsOnly?.total).toBe(6);
  });

  it('filters them like rows; a resource filter matches none', () => {
    expect(views.summary(PLATFORM, { engine: 'gatekeeper' }).countsOnly?.total).toBe(4);
    expect(views.summary(PLATFORM, { severity: 'high', namespace: 'kube-system' }).countsOnly?.total).toBe(2);
    expect(views.summary(PLATFORM, { tenant: 'client-b' }).countsOnly?.total).toBe(6);
    expect(views.summary(PLATFORM, { kind: 'Pod' }).countsOnly).toBeUndefined();
    expect(views.summary(A_ADMIN, { tenant: 'client-b' }).countsOnly).toBeUndefined();
  });
});
