import { describe, expect, it } from 'vitest';

import {
  AuditQuery,
  ClusterHealthQuery,
  ClusterParams,
  DEMO_USERS,
  DemoLoginQuery,
  FleetQuery,
  Problem,
  apiPaths,
  demoLoginUrl,
} from '../src/index.ts';

describe('DemoLoginQuery', () => {
  it('accepts each demo persona', () => {
    for (const u of DEMO_USERS) expect(DemoLoginQuery.parse({ as: u.user })).toEqual({ as: u.user });
  });

  it('names the unknown user and the valid ones', () => {
    const r = DemoLoginQuery.safeParse({ as: 'mallory@demo' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('"mallory@demo"');
    expect(r.error?.issues[0]?.message).toContain('platform-admin@demo');
  });

  it('rejects the shapes Express makes of odd query strings (arrays, objects) and extra keys', () => {
    expect(DemoLoginQuery.safeParse({ as: ['platform-admin@demo', 'client-a-admin@demo'] }).success).toBe(false);
    expect(DemoLoginQuery.safeParse({ as: { toString: 'x' } }).success).toBe(false);
    expect(DemoLoginQuery.safeParse({ as: 'platform-admin@demo', extra: '1' }).success).toBe(false);
    expect(FleetQuery.safeParse({ anything: 'x' }).success).toBe(false);
  });
});

describe('paths', () => {
  it('encodes the persona in the demo login URL', () => {
    expect(demoLoginUrl('a b&c@demo')).toBe(`${apiPaths.demoLogin}?as=a+b%26c%40demo`);
  });

  it('keeps every API path under /api except the probes', () => {
    const probes = new Set<string>([apiPaths.healthz, apiPaths.readyz, apiPaths.metrics]);
    for (const p of Object.values(apiPaths)) if (!probes.has(p)) expect(p.startsWith('/api/')).toBe(true);
  });
});

describe('Problem', () => {
  it('requires type, title and status', () => {
    expect(Problem.safeParse({ type: 'about:blank', title: 'Bad request', status: 400 }).success).toBe(true);
    expect(Problem.safeParse({ title: 'x', status: 400 }).success).toBe(false);
  });
});

describe('request schemas (zod/mini, validated as with the chained API)', () => {
  it('coerces, bounds and defaults query numbers', () => {
    expect(AuditQuery.parse({})).toEqual({ limit: 100 });
    expect(AuditQuery.parse({ limit: '25' })).toEqual({ limit: 25 });
    for (const limit of ['0', '501', '2.5', 'many']) expect(AuditQuery.safeParse({ limit }).success).toBe(false);
    // The window is a preset range or from/to; the BFF picks 6h when neither is given.
    expect(ClusterHealthQuery.parse({ range: '7d' })).toEqual({ range: '7d' });
    expect(ClusterHealthQuery.parse({ width: '480' })).toMatchObject({ width: 480 });
    expect(ClusterHealthQuery.safeParse({ range: '30d' }).success).toBe(false);
    expect(ClusterHealthQuery.safeParse({ range: '1h', from: '2026-11-25T00:00:00Z' }).success).toBe(false);
  });

  it('refuses unknown keys and overlong values, naming the path in English', () => {
    const r = FleetQuery.safeParse({ selector: 'x'.repeat(2049), extra: '1' });
    expect(r.error?.issues.map((i) => [i.code, i.path.join('.'), i.message])).toEqual([
      ['too_big', 'selector', 'Too big: expected string to have <=2048 characters'],
      ['unrecognized_keys', '', 'Unrecognized key: "extra"'],
    ]);
    expect(ClusterParams.safeParse({ name: '' }).success).toBe(false);
    expect(ClusterParams.safeParse({ name: 'prod-us-east' }).success).toBe(true);
  });
});
