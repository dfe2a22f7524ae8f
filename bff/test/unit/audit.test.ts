import { describe, expect, it } from 'vitest';

import type { AuditRecord } from '@fleetdeck/shared';

import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { resolveScope } from '../../src/access/resolve-scope.ts';
import { auditVisibleTo, createAuditLog } from '../../src/audit/audit-log.ts';
import type { KubeEventRecorder } from '../../src/audit/kube-events.ts';
import { safeReturnTo } from '../../src/auth/oidc.ts';
import { createLogger } from '../../src/lib/logger.ts';

const base = { requestId: 'r', groups: [], target: 'x', result: 'success' as const };

describe('audit log', () => {
  it('keeps the newest records, newest first, within its capacity', () => {
    let t = 0;
    const audit = createAuditLog(createLogger('silent'), { capacity: 3, now: () => new Date(Date.UTC(2026, 10, 24, 0, 0, t++)) });
    for (const actor of ['a', 'b', 'c', 'd']) audit.record({ ...base, actor, action: 'sign-in' });
    expect(audit.recent(10).map((r) => r.actor)).toEqual(['d', 'c', 'b']);
    expect(audit.recent(1)[0]?.at).toBe('2026-11-24T00:00:03.000Z');
  });

  it('shows Platform Admins everything, Tenant Admins their tenant, everyone their own', () => {
    const records: AuditRecord[] = [
      { ...base, at: '', actor: 'someone@x', action: 'approve' as const, tenant: 'client-a' },
      { ...base, at: '', actor: 'someone@x', action: 'approve' as const, tenant: 'client-b' },
      { ...base, at: '', actor: 'dev@x', action: 'sign-in' as const },
    ];
    const who = (user: string, ...groups: string[]) => auditVisibleTo({ user }, resolveScope({ user, groups }, DEFAULT_ACCESS_POLICY));
    expect(records.filter(who('pat@x', 'fleet-platform-admins'))).toHaveLength(3);
    expect(records.filter(who('ada@x', 'tenant-client-a-admins')).map((r) => r.tenant)).toEqual(['client-a']);
    expect(records.filter(who('dev@x', 'tenant-client-a-developers')).map((r) => r.actor)).toEqual(['dev@x']);
    expect(records.filter(who('vic@x', 'fleet-viewers'))).toEqual([]);
  });
});

describe('safeReturnTo', () => {
  it('keeps same-site paths and drops everything that could leave the site', () => {
    expect(safeReturnTo('/fleet?q=x')).toBe('/fleet?q=x');
    for (const bad of [undefined, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'fleet'])
      expect(safeReturnTo(bad)).toBe('/');
  });
});

describe('audit of changes to Kubernetes objects', () => {
  it('also records an Event on the object, and a failed Event never fails the audit', async () => {
    const seen: { object: string; actor: string }[] = [];
    const recorder = {
      record: (object: { name: string }, entry: { actor: string }) => {
        seen.push({ object: object.name, actor: entry.actor });
        return entry.actor === 'breaks@x' ? Promise.reject(new Error('api down')) : Promise.resolve();
      },
    } as unknown as KubeEventRecorder;
    const audit = createAuditLog(createLogger('silent'), { events: recorder });
    const object = { apiVersion: 'placement.kubernetes-fleet.io/v1beta1', kind: 'ClusterApprovalRequest', name: 'run-after-canary' };
    audit.record({ ...base, actor: 'pat@x', action: 'approve' }, object);
    audit.record({ ...base, actor: 'breaks@x', action: 'approve' }, object);
    audit.record({ ...base, actor: 'nobody@x', action: 'sign-in' });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([
      { object: 'run-after-canary', actor: 'pat@x' },
      { object: 'run-after-canary', actor: 'breaks@x' },
    ]);
    expect(audit.recent(10)).toHaveLength(3);
  });
});

describe('anonymous audit records', () => {
  it('cannot flush signed-in people’s records, and are rate-limited', () => {
    const audit = createAuditLog(createLogger('silent'), { capacity: 50, anonymousCapacity: 20, anonymousPerMinute: 30 });
    audit.record({ ...base, actor: 'pat@x', action: 'sign-in' });
    for (let i = 0; i < 5000; i++) audit.record({ ...base, actor: 'anonymous', action: 'sign-in', result: 'failure' });
    const recent = audit.recent(1000);
    expect(recent.filter((r) => r.actor === 'pat@x')).toHaveLength(1);
    expect(recent.filter((r) => r.actor === 'anonymous').length).toBeLessThanOrEqual(20);
    expect(recent.filter((r) => r.actor === 'anonymous').length).toBeGreaterThan(0);
  });
});
