import { describe, expect, it } from 'vitest';

import type { Scope } from '@fleetdeck/shared';

import { EnforcementMemo, accessKey } from '../../src/access/promql/enforce-memo.ts';
import { enforcePromQL, promAccess } from '../../src/access/promql/index.ts';
import { PanelAccessMemo, panelAccesses } from '../../src/sources/health/panel-access.ts';
import { INVALID, PROMQL_CORPUS } from './promql-corpus.ts';

const clientA = promAccess([{ clusters: ['a-prod', 'a-dev'], namespaces: '*' }]);
const clientB = promAccess([{ clusters: ['b-prod'], namespaces: '*' }]);
// Two groups: the enforcer splits selectors into an `or` per grant.
const developer = promAccess([
  { clusters: ['a-dev'], namespaces: ['client-a-*'] },
  { clusters: ['a-staging'], namespaces: ['client-a-web'] },
]);

describe('the enforcement memo', () => {
  it('gives exactly what the enforcer gives, for the whole corpus and the invalid queries, first and second time', () => {
    const memo = new EnforcementMemo();
    const queries = [...PROMQL_CORPUS, ...INVALID.map(([q]) => q)];
    for (const access of [clientA, developer]) {
      for (const q of queries) expect(memo.enforce(q, access), q).toEqual(enforcePromQL(q, access));
      for (const q of queries) expect(memo.enforce(q, access), q).toEqual(enforcePromQL(q, access));
    }
    expect(memo.hits).toBe(queries.length * 2);
  });

  it("never answers one scope with another's text: the same query under two accesses is two entries", () => {
    const memo = new EnforcementMemo();
    const a = memo.enforce('sum by (cluster) (up)', clientA);
    const b = memo.enforce('sum by (cluster) (up)', clientB);
    const scopeOf = (access: typeof clientA) => access.groups[0]!.matchers[0]!.text;
    expect('query' in a && a.query).toContain(scopeOf(clientA));
    expect('query' in b && b.query).toContain(scopeOf(clientB));
    expect('query' in b && b.query).not.toContain(scopeOf(clientA));
    expect(memo.size).toBe(2);
    expect(memo.misses).toBe(2);
  });

  it('keys an access by its full matcher text: equal accesses share, a one-cluster difference does not', () => {
    const same = promAccess([{ clusters: ['a-dev', 'a-prod'], namespaces: '*' }]);
    expect(accessKey(same)).toBe(accessKey(clientA));
    const wider = promAccess([{ clusters: ['a-prod', 'a-dev', 'a-staging'], namespaces: '*' }]);
    expect(accessKey(wider)).not.toBe(accessKey(clientA));
    const memo = new EnforcementMemo();
    memo.enforce('up', clientA);
    const out = memo.enforce('up', wider);
    expect('query' in out && out.query).toContain(wider.groups[0]!.matchers[0]!.text);
    expect(wider.groups[0]!.matchers[0]!.text).toContain('staging');
  });

  it('stays within its character budget, dropping the least recently used first', () => {
    const memo = new EnforcementMemo(2_000);
    const queries = Array.from({ length: 40 }, (_, i) => `up{job="job-${i}"}`);
    for (const q of queries) memo.enforce(q, clientA);
    expect(memo.size).toBeLessThan(40);
    expect(memo.size).toBeGreaterThan(0);
    // The newest is kept, the oldest went.
    const hits = memo.hits;
    memo.enforce(queries.at(-1)!, clientA);
    expect(memo.hits).toBe(hits + 1);
    memo.enforce(queries[0]!, clientA);
    expect(memo.hits).toBe(hits + 1);
  });
});

describe('the panel access memo', () => {
  const clusters = [
    { name: 'a-prod', tenant: 'client-a', environment: 'production' },
    { name: 'a-dev', tenant: 'client-a', environment: 'development' },
    { name: 'b-prod', tenant: 'client-b', environment: 'production' },
  ];
  const admin: Scope = { grants: [{ role: 'platform-admin', tenants: '*', environments: '*', namespaces: '*', verbs: ['view'] }] };
  const tenantA: Scope = { grants: [{ role: 'tenant-admin', tenants: ['client-a'], environments: '*', namespaces: '*', verbs: ['view'] }] };

  it('answers each scope with its own accesses, and a changed inventory with new ones', () => {
    let inventory = { version: 1, clusters };
    const memo = new PanelAccessMemo(() => inventory);
    expect(memo.get(tenantA)).toEqual(panelAccesses(tenantA, clusters));
    expect(memo.get(admin)).toEqual(panelAccesses(admin, clusters));
    const before = memo.get(tenantA);
    expect(memo.get(tenantA)).toBe(before);
    // A heartbeat moves the version and changes nothing access depends on: the same answer.
    inventory = { version: 2, clusters: clusters.map((c) => ({ ...c })) };
    expect(memo.get(tenantA)).toBe(before);
    // A cluster joins client-a: the next answer includes it.
    inventory = { version: 3, clusters: [...clusters, { name: 'a-new', tenant: 'client-a', environment: 'staging' }] };
    const after = memo.get(tenantA);
    expect(after).not.toBe(before);
    expect(after.anyViewer.groups.flatMap((g) => g.clusters)).toContain('a-new');
    expect(after.anyViewer.groups.flatMap((g) => g.clusters)).not.toContain('b-prod');
    // A cluster moves to another tenant: it leaves client-a's accesses.
    inventory = { version: 4, clusters: clusters.map((c) => (c.name === 'a-dev' ? { ...c, tenant: 'client-b' } : c)) };
    expect(memo.get(tenantA).anyViewer.groups.flatMap((g) => g.clusters)).toEqual(['a-prod']);
  });

  it('keeps at most `max` scopes', () => {
    const memo = new PanelAccessMemo(() => ({ version: 1, clusters }), 2);
    const first = memo.get(tenantA);
    memo.get(admin);
    memo.get({ grants: [] });
    expect(memo.get(tenantA)).not.toBe(first);
  });
});
