import { describe, expect, it } from 'vitest';

import { DEMO_USERS, DemoLoginQuery, FleetQuery, Problem, apiPaths, demoLoginUrl } from '../src/index.ts';

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
