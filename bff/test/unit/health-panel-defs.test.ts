import { BUILTIN_HEALTH_PANEL_IDS, DEMO_USERS, HealthPanelDef, type Scope } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { enforcePromQL, NO_ACCESS, type PromAccess } from '../../src/access/promql/index.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { panelAccesses } from '../../src/sources/health/panel-access.ts';
import { HealthConfig, defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { builtinPanelDefs, healthPanelDefs } from '../../src/sources/health/panel-defs.ts';

/** Every vector selector's matchers, read from lezer's tree; throws on an error node. */
function selectors(q: string): { name: string; matchers: string[] }[] {
  const out: { name: string; matchers: string[] }[] = [];
  parser.parse(q).iterate({
    enter(ref) {
      if (ref.type.isError) throw new Error(`error node at ${ref.from} in ${q}`);
      if (ref.name !== 'VectorSelector') return;
      const id = ref.node.getChild('Identifier');
      const matchers: string[] = [];
      for (let c = ref.node.getChild('LabelMatchers')?.firstChild; c; c = c.nextSibling) {
        if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher') matchers.push(q.slice(c.from, c.to));
      }
      out.push({ name: id ? q.slice(id.from, id.to) : '', matchers });
    },
  });
  return out;
}

const clusters = demoClusters(new Date('2026-11-25T12:00:00Z'));
const scopeOf = (user: string): Scope => {
  const u = DEMO_USERS.find((d) => d.user === user)!;
  return resolveScope({ user: u.user, groups: [...u.groups] }, DEFAULT_ACCESS_POLICY);
};

/** Each selector of the enforced query starts with one group's matchers, and reads what the panel's own selector read. */
function expectEnforced(def: HealthPanelDef, access: PromAccess): void {
  const out = enforcePromQL(def.query, access);
  if ('error' in out) throw new Error(`${def.id}: ${out.error}`);
  const before = selectors(def.query);
  const after = selectors(out.query);
  expect(after.length, def.id).toBe(before.length * access.groups.length);
  for (const s of after) {
    const group = access.groups.find((g) => g.matchers.every((m, i) => s.matchers[i] === m.text));
    expect(group, `${def.id}: ${JSON.stringify(s)}`).toBeDefined();
    const user = s.matchers.slice(group!.matchers.length);
    expect(
      before.some((b) => b.name === s.name && JSON.stringify(b.matchers) === JSON.stringify(user)),
      def.id,
    ).toBe(true);
  }
}

describe('the built-in health panels', () => {
  const defs = builtinPanelDefs(defaultHealthConfig());

  it('are the brief’s nine, each a valid definition naming its expression and source in its help', () => {
    expect(defs.map((d) => d.id)).toEqual([...BUILTIN_HEALTH_PANEL_IDS]);
    for (const d of defs) {
      expect(HealthPanelDef.safeParse(d).success, d.id).toBe(true);
      expect(d.help, d.id).toContain(d.query);
      expect(d.help, d.id).toContain(d.source);
    }
  });

  it('parse with lezer-promql without an error node, each aggregated by cluster', () => {
    for (const d of defs) {
      expect(selectors(d.query).length, d.id).toBeGreaterThan(0);
      expect(d.query, d.id).toMatch(/by \(cluster\)/);
    }
  });

  it('use what current exporters emit, not the brief’s stale names', () => {
    const all = defs.map((d) => d.query).join('\n');
    const names = new Set(defs.flatMap((d) => selectors(d.query).map((s) => s.name)));
    expect(names).toContain('authentication_attempts');
    expect(names).toContain('argocd_app_sync_total');
    expect(names).not.toContain('apiserver_authentication_failures_total');
    expect(all).not.toMatch(/result="(succeeded|failed)"|constraint=/);
    expect(all).toContain('job="kubernetes-apiservers"');
    expect(defs.find((d) => d.id === 'failedAuth')!.query).toContain('result!="success"');
  });

  it('take job and label names from configuration', () => {
    const c = HealthConfig.parse({ jobs: { apiserver: 'apiserver' }, labels: { syncStatus: 'sync' }, rateWindow: '2m' });
    const byId = new Map(builtinPanelDefs(c).map((d) => [d.id, d.query]));
    expect(byId.get('apiAvailability')).toContain('job="apiserver"');
    expect(byId.get('failedAuth')).toContain('[2m]');
    expect(byId.get('gitopsSync')).toContain('sync="Synced"');
    expect(() => HealthConfig.parse({ jobs: { apiserver: 'a"b' } })).toThrow();
  });

  it('go through the enforcer for every persona shape, every selector carrying the scope', () => {
    let developerGroups = 0;
    for (const u of DEMO_USERS) {
      const accesses = panelAccesses(scopeOf(u.user), clusters);
      for (const d of defs) {
        const access = accesses[d.audience];
        if (access.groups.length === 0) continue;
        expectEnforced(d, access);
      }
      if (u.role === 'developer') developerGroups = accesses.namespaces.groups.length;
    }
    // The Developer's namespaces differ per cluster: several groups, each selector copied per group.
    expect(developerGroups).toBeGreaterThan(0);
    // Someone who sees nothing: every query is refused, none runs unscoped.
    for (const d of defs) expect(enforcePromQL(d.query, { groups: [] })).toEqual({ error: NO_ACCESS });
  });

  it('give a Developer namespace-limited panels only, and cluster-wide figures to people who see the cluster whole', () => {
    const dev = panelAccesses(scopeOf('client-a-dev@demo'), clusters);
    expect(dev.wholeCluster.groups).toEqual([]);
    expect(dev.namespaces.groups.every((g) => g.namespaces !== '*')).toBe(true);
    expect(dev.anyViewer.groups.flatMap((g) => g.clusters).sort()).toEqual(dev.namespaces.groups.flatMap((g) => g.clusters).sort());
    const tenant = panelAccesses(scopeOf('client-a-admin@demo'), clusters);
    const tenantClusters = tenant.wholeCluster.groups.flatMap((g) => g.clusters);
    expect(tenantClusters.length).toBeGreaterThan(0);
    expect(tenantClusters.every((c) => clusters.find((x) => x.name === c)!.tenant === 'client-a')).toBe(true);
  });

  it('say who sees every cluster of the inventory whole: the Platform Admin only (the one who may be read a recorded fleet band)', () => {
    const every = DEMO_USERS.filter((u) => panelAccesses(scopeOf(u.user), clusters).everyCluster).map((u) => u.role);
    expect(every.length).toBeGreaterThan(0);
    expect(new Set(every)).toEqual(new Set(['platform-admin']));
    const admin = DEMO_USERS.find((u) => u.role === 'platform-admin')!;
    expect(panelAccesses(scopeOf(admin.user), clusters).everyCluster).toBe(true);
    // Relative to the list the accesses are built over: over their own tenant's clusters alone, a Tenant Admin sees every one.
    expect(panelAccesses(scopeOf('client-a-admin@demo'), clusters).everyCluster).toBe(false);
    expect(
      panelAccesses(
        scopeOf('client-a-admin@demo'),
        clusters.filter((c) => c.tenant === 'client-a'),
      ).everyCluster,
    ).toBe(true);
  });
});

describe('configured panels', () => {
  const extra = {
    id: 'etcdLeader',
    title: 'etcd leader changes',
    unit: 'count',
    source: 'etcd',
    query: 'sum by (cluster) (etcd_server_leader_changes_seen_total)',
    worse: 'higher',
  };

  it('are added after the nine, from YAML objects or an env var’s JSON', () => {
    const fromFile = healthPanelDefs(HealthConfig.parse({ extraPanels: [extra] }));
    expect(fromFile.map((d) => d.id)).toEqual([...BUILTIN_HEALTH_PANEL_IDS, 'etcdLeader']);
    expect(fromFile.at(-1)).toMatchObject({ audience: 'wholeCluster', help: expect.stringContaining(extra.query) as unknown });
    expect(healthPanelDefs(HealthConfig.parse({ extraPanels: JSON.stringify([extra]) })).at(-1)!.id).toBe('etcdLeader');
  });

  it('are refused when they reuse a built-in id, repeat an id, or cannot be enforced', () => {
    expect(() => HealthConfig.parse({ extraPanels: [{ ...extra, id: 'cpu' }] })).toThrow(/built-in/);
    expect(() => healthPanelDefs(HealthConfig.parse({ extraPanels: [extra, extra] }))).toThrow(/twice/);
    expect(() => healthPanelDefs(HealthConfig.parse({ extraPanels: [{ ...extra, query: 'sum(' }] }))).toThrow(/etcdLeader/);
  });
});
