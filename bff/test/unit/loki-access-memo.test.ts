import { describe, expect, it } from 'vitest';

import type { Scope } from '@fleetdeck/shared';

import { logAccessFor } from '../../src/access/logql/index.ts';
import { HttpProblem } from '../../src/lib/problem.ts';
import { personLogAccess } from '../../src/routes/loki-context.ts';
import type { Services } from '../../src/services.ts';
import { ScopeFilter, groupFilter } from '../../src/sources/loki/scoped-results.ts';

type Inv = { version: number; clusters: { name: string; tenant: string; environment: string }[] };
const services = (inv: () => Inv, tenantOrgIds?: Record<string, string>) =>
  ({ inventory: { snapshot: inv }, config: { loki: { ...(tenantOrgIds && { tenantOrgIds }) } } }) as unknown as Services;

const grant = (tenants: '*' | string[], namespaces: '*' | string[] = '*'): Scope['grants'][number] => ({
  role: 'developer',
  tenants,
  environments: '*' as const,
  namespaces,
  verbs: ['view' as const, 'viewLogs' as const],
});
const admin: Scope = { grants: [grant('*')] };
const devA: Scope = { grants: [grant(['a'], ['a-*'])] };
const devB: Scope = { grants: [grant(['b'], ['b-*'])] };
const nobody: Scope = { grants: [] };
const fleet = [
  { name: 'a-prod', tenant: 'a', environment: 'prod' },
  { name: 'b-prod', tenant: 'b', environment: 'prod' },
];

describe("a person's log access, remembered", () => {
  it('is the same object for equal grants while the inventory keeps its shape, and equals a fresh computation', () => {
    let inv: Inv = { version: 1, clusters: fleet };
    const s = services(() => inv);
    const first = personLogAccess(s, devA);
    expect(first.access).toEqual(logAccessFor(devA, fleet));
    expect(personLogAccess(s, { grants: devA.grants.map((g) => ({ ...g })) })).toBe(first);
    inv = { version: 2, clusters: fleet.map((c) => ({ ...c })) }; // a heartbeat: a new version, the same shape
    expect(personLogAccess(s, devA)).toBe(first);
  });

  it('never gives one scope the access of another', () => {
    const s = services(() => ({ version: 1, clusters: fleet }));
    const a = personLogAccess(s, devA);
    const b = personLogAccess(s, devB);
    expect(a.access.groups.flatMap((g) => g.clusters)).toEqual(['a-prod']);
    expect(b.access.groups.flatMap((g) => g.clusters)).toEqual(['b-prod']);
    expect(personLogAccess(s, admin).access.groups.flatMap((g) => g.clusters)).toEqual(['a-prod', 'b-prod']);
  });

  it('is worked out again when a cluster moves to another tenant, appears or goes', () => {
    let inv: Inv = { version: 1, clusters: fleet };
    const s = services(() => inv);
    expect(personLogAccess(s, devA).access.groups.flatMap((g) => g.clusters)).toEqual(['a-prod']);
    inv = { version: 2, clusters: [fleet[0]!, { ...fleet[1]!, tenant: 'a' }] };
    expect(personLogAccess(s, devA).access.groups.flatMap((g) => g.clusters)).toEqual(['a-prod', 'b-prod']);
    inv = { version: 3, clusters: [fleet[1]!] };
    expect(() => personLogAccess(s, devA)).toThrow(HttpProblem);
    inv = { version: 4, clusters: [...fleet, { name: 'a-dev', tenant: 'a', environment: 'dev' }] };
    expect(personLogAccess(s, devA).access.groups.flatMap((g) => g.clusters)).toEqual(['a-dev', 'a-prod']);
  });

  it('is a 403 every time for no log access at all, and keeps the org ids of a multi-tenant Loki', () => {
    const s = services(() => ({ version: 1, clusters: fleet }), { a: 'org-a' });
    expect(() => personLogAccess(s, nobody)).toThrow(/no cluster/);
    expect(() => personLogAccess(s, nobody)).toThrow(/no cluster/);
    // Tenant b has no org id: its cluster cannot be read at all.
    expect(() => personLogAccess(s, devB)).toThrow(HttpProblem);
    const all = personLogAccess(s, admin);
    expect(all.access.groups.flatMap((g) => g.clusters)).toEqual(['a-prod']);
    expect(all.orgIds(all.access)).toEqual(['org-a']);
  });

  it('is kept per app: two apps with different inventories never share an access', () => {
    const one = services(() => ({ version: 1, clusters: [fleet[0]!] }));
    const two = services(() => ({ version: 1, clusters: fleet }));
    expect(personLogAccess(one, admin).access.groups.flatMap((g) => g.clusters)).toEqual(['a-prod']);
    expect(personLogAccess(two, admin).access.groups.flatMap((g) => g.clusters)).toEqual(['a-prod', 'b-prod']);
  });
});

describe("a group's scope filter", () => {
  it('is built once per group and judges as a fresh filter of that group does', () => {
    const [group] = logAccessFor(devA, fleet).groups;
    expect(groupFilter(group!)).toBe(groupFilter(group!));
    const fresh = new ScopeFilter({ groups: [group!] });
    const sets: Record<string, string>[] = [
      { cluster: 'a-prod', namespace: 'a-apps' },
      { cluster: 'a-prod', namespace: 'b-apps' },
      { cluster: 'b-prod', namespace: 'a-apps' },
      { cluster: 'a-prod' },
      { namespace: 'a-apps' },
    ];
    for (const labels of sets)
      for (const strict of [true, false]) expect(groupFilter(group!).allows(labels, strict)).toBe(fresh.allows(labels, strict));
  });
});
