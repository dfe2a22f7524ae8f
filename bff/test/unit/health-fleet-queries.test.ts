import { DEMO_USERS, type Scope } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { enforcePromQL, NO_ACCESS, promAccess, type PromAccess } from '../../src/access/promql/index.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { bandFrom, fleetPanelPlan, narrowAccess, worstOf } from '../../src/sources/health/fleet-queries.ts';
import { panelAccesses } from '../../src/sources/health/panel-access.ts';
import { defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { builtinPanelDefs } from '../../src/sources/health/panel-defs.ts';
import { recordedQueries } from '../../src/sources/health/recording-rules.ts';

/** Every vector selector's matchers, read from lezer's tree; throws on an error node. */
function selectors(q: string): string[][] {
  const out: string[][] = [];
  parser.parse(q).iterate({
    enter(ref) {
      if (ref.type.isError) throw new Error(`error node at ${ref.from} in ${q}`);
      if (ref.name !== 'VectorSelector') return;
      const matchers: string[] = [];
      for (let c = ref.node.getChild('LabelMatchers')?.firstChild; c; c = c.nextSibling) {
        if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher') matchers.push(q.slice(c.from, c.to));
      }
      out.push(matchers);
    },
  });
  return out;
}

const clusters = demoClusters(new Date('2026-11-25T12:00:00Z'));
const scopeOf = (user: string): Scope => {
  const u = DEMO_USERS.find((d) => d.user === user)!;
  return resolveScope({ user: u.user, groups: [...u.groups] }, DEFAULT_ACCESS_POLICY);
};

/** The query, enforced: parses, and each selector starts with one of the access' groups' matchers, copied per group. */
function expectEnforced(query: string, access: PromAccess): void {
  const out = enforcePromQL(query, access);
  if ('error' in out) throw new Error(`${query}: ${out.error}`);
  const before = selectors(query);
  const after = selectors(out.query);
  expect(after.length, query).toBe(before.length * access.groups.length);
  for (const s of after) {
    expect(
      access.groups.some((g) => g.matchers.every((m, i) => s[i] === m.text)),
      `${out.query}: ${JSON.stringify(s)}`,
    ).toBe(true);
  }
}

const config = defaultHealthConfig();
const defs = builtinPanelDefs(config);
const recorded = recordedQueries(config);

describe('the fleet query plans', () => {
  it('ask Prometheus for the band (p50, p95, min, max, count) and the table over the recorded series, each query parsing', () => {
    const plan = fleetPanelPlan('cluster:fleetdeck_pod_health:ratio');
    expect(plan.band).toEqual({
      p50: 'quantile(0.5, (cluster:fleetdeck_pod_health:ratio))',
      p95: 'quantile(0.95, (cluster:fleetdeck_pod_health:ratio))',
      min: 'min((cluster:fleetdeck_pod_health:ratio))',
      max: 'max((cluster:fleetdeck_pod_health:ratio))',
      n: 'count((cluster:fleetdeck_pod_health:ratio))',
    });
    expect(plan.table).toBe('cluster:fleetdeck_pod_health:ratio');
    for (const d of defs) {
      const p = fleetPanelPlan(recorded.get(d.id)!);
      for (const q of [...Object.values(p.band), p.table]) expect(selectors(q).length, q).toBeGreaterThan(0);
    }
  });

  it('go through the enforcer for every persona shape, raw and recorded, every selector carrying the scope', () => {
    let developerGroups = 0;
    for (const u of DEMO_USERS) {
      const accesses = panelAccesses(scopeOf(u.user), clusters);
      for (const d of defs) {
        const access = accesses[d.audience];
        if (access.groups.length === 0) continue;
        for (const expr of [d.query, recorded.get(d.id)!]) {
          const p = fleetPanelPlan(expr);
          for (const q of [...Object.values(p.band), p.table]) expectEnforced(q, access);
        }
      }
      if (u.role === 'developer') developerGroups = accesses.namespaces.groups.length;
    }
    expect(developerGroups).toBeGreaterThan(0);
    for (const d of defs) {
      for (const q of Object.values(fleetPanelPlan(d.query).band)) expect(enforcePromQL(q, { groups: [] })).toEqual({ error: NO_ACCESS });
    }
  });

  it('rank the worst clusters by the panel’s direction: lowest availability, highest CPU; ties by name', () => {
    const table = [
      { cluster: 'b', value: 0.5, at: 1 },
      { cluster: 'a', value: 0.9, at: 1 },
      { cluster: 'd', value: 0.5, at: 1 },
      { cluster: 'c', value: 0.1, at: 1 },
    ];
    expect(worstOf(table, 'lower', 3)).toEqual(['c', 'b', 'd']);
    expect(worstOf(table, 'higher', 3)).toEqual(['a', 'b', 'd']);
    expect(worstOf(table, 'higher', 0)).toEqual([]);
    expect(worstOf(table, 'lower', 10)).toHaveLength(4);
    expect(defs.find((d) => d.id === 'apiAvailability')!.worse).toBe('lower');
    expect(defs.find((d) => d.id === 'cpu')!.worse).toBe('higher');
  });

  it('cut the access to the worst clusters, never widening it', () => {
    const access = promAccess([
      { clusters: ['a', 'b'], namespaces: '*' },
      { clusters: ['c'], namespaces: ['client-a-*'] },
    ]);
    const cut = narrowAccess(access, ['b', 'c', 'foreign']);
    expect(cut.groups.map((g) => [g.clusters, g.namespaces])).toEqual([
      [['b'], '*'],
      [['c'], ['client-a-*']],
    ]);
    expect(narrowAccess(access, ['foreign']).groups).toEqual([]);
    expect(enforcePromQL('up', narrowAccess(access, []))).toEqual({ error: NO_ACCESS });
  });

  it('assemble the band from the figures, leaving out times some figure lacks or no cluster reported', () => {
    const m = (entries: [number, number][]) => new Map(entries);
    const band = bandFrom({
      p50: m([
        [1, 0.5],
        [2, 0.6],
        [3, 0.7],
      ]),
      p95: m([
        [1, 0.9],
        [2, 0.95],
        [3, 0.99],
      ]),
      min: m([
        [1, 0.1],
        [3, 0.2],
      ]),
      max: m([
        [1, 1],
        [2, 1],
        [3, 1],
      ]),
      n: m([
        [3, 4],
        [1, 3],
        [2, 3],
        [4, 0],
      ]),
    });
    expect(band).toEqual([
      { t: 1, p50: 0.5, p95: 0.9, min: 0.1, max: 1, n: 3 },
      { t: 3, p50: 0.7, p95: 0.99, min: 0.2, max: 1, n: 4 },
    ]);
  });
});
