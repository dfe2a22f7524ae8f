import { describe, expect, it } from 'vitest';

import { admitPrincipal, groupsThePolicyNames } from '../../src/access/identity.ts';
import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { userFromClaims } from '../../src/auth/oidc.ts';
import { HttpProblem } from '../../src/lib/problem.ts';

describe('admitting a person at sign-in', () => {
  it('keeps only the groups the access policy names (exactly or by its {tenant} patterns)', () => {
    const groups = [
      'tenant-client-a-admins',
      'marketing',
      'tenant--admins',
      'fleet-viewers',
      'tenant-client-b-developers',
      'Tenant-x-admins',
    ];
    expect(groupsThePolicyNames(DEFAULT_ACCESS_POLICY, groups)).toEqual([
      'tenant-client-a-admins',
      'fleet-viewers',
      'tenant-client-b-developers',
    ]);
  });

  it('cuts a 500-group identity down to the handful that grant something', () => {
    const groups = [...Array.from({ length: 498 }, (_, i) => `org-team-${i}`), 'tenant-client-a-admins', 'fleet-viewers'];
    const admitted = admitPrincipal({ user: 'pat@example.com', groups }, DEFAULT_ACCESS_POLICY);
    expect(admitted.groups).toEqual(['tenant-client-a-admins', 'fleet-viewers']);
  });

  it('refuses Kubernetes’ reserved system: names as user or group with 403', () => {
    for (const p of [
      { user: 'system:admin', groups: [] },
      { user: 'SYSTEM:kube-controller-manager', groups: [] },
      { user: 'pat@example.com', groups: ['system:masters'] },
      { user: 'pat@example.com', groups: ['fleet-viewers', 'system:serviceaccounts:kube-system'] },
    ]) {
      expect(() => admitPrincipal(p, DEFAULT_ACCESS_POLICY)).toThrow(HttpProblem);
      try {
        admitPrincipal(p, DEFAULT_ACCESS_POLICY);
      } catch (err) {
        expect((err as HttpProblem).status).toBe(403);
        expect((err as HttpProblem).message).toMatch(/system:/);
      }
    }
  });
});

describe('the user name from ID-token claims', () => {
  it('uses an email only when the provider verified it, else the subject', () => {
    expect(userFromClaims({ sub: 'abc', email: 'pat@example.com', email_verified: true }, 'email')).toBe('pat@example.com');
    expect(userFromClaims({ sub: 'abc', email: 'ceo@example.com', email_verified: false }, 'email')).toBe('abc');
    expect(userFromClaims({ sub: 'abc', email: 'ceo@example.com' }, 'email')).toBe('abc');
    expect(userFromClaims({ sub: 'abc', email: 'ceo@example.com', email_verified: 'true' }, 'email')).toBe('abc');
    expect(userFromClaims({ sub: 'abc', preferred_username: 'pat' }, 'preferred_username')).toBe('pat');
    expect(userFromClaims({ sub: 'abc' }, 'preferred_username')).toBe('abc');
  });
});
