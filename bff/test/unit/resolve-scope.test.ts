import { describe, expect, it } from 'vitest';

import { AccessPolicy, DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { allows, holdsVerb, visibleClusters } from '../../src/access/scope-checks.ts';

const TENANTS = ['client-a', 'client-b', 'client-c'];
const ENVS = ['production', 'staging', 'dev'];
const scopeOf = (...groups: string[]) => resolveScope({ user: 'someone', groups }, DEFAULT_ACCESS_POLICY);

/** The brief's hierarchy as a table: which role sees which (tenant, env) for a client-a binding. */
const TABLE: { groups: string[]; sees: (tenant: string, env: string) => boolean; approve: boolean; secrets: boolean }[] = [
  { groups: ['fleet-platform-admins'], sees: () => true, approve: true, secrets: true },
  { groups: ['tenant-client-a-admins'], sees: (t) => t === 'client-a', approve: true, secrets: true },
  { groups: ['tenant-client-a-developers'], sees: (t, e) => t === 'client-a' && e !== 'production', approve: false, secrets: false },
  { groups: ['tenant-client-a-viewers'], sees: (t) => t === 'client-a', approve: false, secrets: false },
  { groups: ['fleet-viewers'], sees: () => true, approve: false, secrets: false },
];

describe('resolveScope with the default policy', () => {
  for (const row of TABLE) {
    for (const tenant of TENANTS) {
      for (const env of ENVS) {
        it(`${row.groups.join(',')} on ${tenant}/${env}`, () => {
          const scope = scopeOf(...row.groups);
          const cluster = { tenant, environment: env };
          const sees = row.sees(tenant, env);
          expect(allows(scope, 'view', cluster)).toBe(sees);
          expect(allows(scope, 'viewLogs', cluster)).toBe(sees);
          expect(allows(scope, 'approve', cluster)).toBe(sees && row.approve);
          expect(allows(scope, 'viewSecrets', cluster)).toBe(sees && row.secrets);
        });
      }
    }
  }

  it('gives developers their tenant namespaces only', () => {
    expect(scopeOf('tenant-client-a-developers').grants).toEqual([
      {
        role: 'developer',
        tenants: ['client-a'],
        environments: ['dev', 'staging'],
        namespaces: ['client-a-*'],
        verbs: ['view', 'viewLogs'],
      },
    ]);
  });

  it('unites several bindings', () => {
    const scope = scopeOf('tenant-client-a-admins', 'tenant-client-b-viewers');
    expect(allows(scope, 'approve', { tenant: 'client-a', environment: 'production' })).toBe(true);
    expect(allows(scope, 'view', { tenant: 'client-b', environment: 'production' })).toBe(true);
    expect(allows(scope, 'approve', { tenant: 'client-b', environment: 'production' })).toBe(false);
    expect(allows(scope, 'view', { tenant: 'client-c', environment: 'production' })).toBe(false);
  });

  it('grants nothing for unknown groups, near-miss names or no groups', () => {
    for (const groups of [
      [],
      ['developers'],
      ['tenant--admins'],
      ['tenant-client-a-admins-x'],
      ['xtenant-client-a-admins'],
      ['FLEET-PLATFORM-ADMINS'],
    ]) {
      const scope = scopeOf(...groups);
      expect(scope.grants).toEqual([]);
      expect(holdsVerb(scope, 'view')).toBe(false);
    }
  });

  it('binds users as well as groups', () => {
    const policy = AccessPolicy.parse({
      roles: DEFAULT_ACCESS_POLICY.roles,
      bindings: [{ user: 'oncall@example.com', role: 'viewer', tenants: ['client-c'] }],
    });
    const scope = resolveScope({ user: 'oncall@example.com', groups: [] }, policy);
    expect(
      visibleClusters(scope, [
        { tenant: 'client-c', environment: 'production' },
        { tenant: 'client-a', environment: 'dev' },
      ]),
    ).toEqual([{ tenant: 'client-c', environment: 'production' }]);
    expect(resolveScope({ user: 'other@example.com', groups: [] }, policy).grants).toEqual([]);
  });
});

describe('AccessPolicy validation', () => {
  const roles = DEFAULT_ACCESS_POLICY.roles;
  it('refuses a binding with two subjects, a pattern without {tenant}, or no tenants', () => {
    expect(AccessPolicy.safeParse({ roles, bindings: [{ group: 'a', user: 'b', role: 'viewer', tenants: '*' }] }).success).toBe(false);
    expect(AccessPolicy.safeParse({ roles, bindings: [{ groupPattern: 'team-admins', role: 'viewer' }] }).success).toBe(false);
    expect(AccessPolicy.safeParse({ roles, bindings: [{ group: 'a', role: 'viewer' }] }).success).toBe(false);
    expect(AccessPolicy.safeParse({ roles, bindings: [{ group: 'a', role: 'superuser', tenants: '*' }] }).success).toBe(false);
  });
});
