import { demoClusters } from '@fleetdeck/shared/brief-fleet';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ClusterViolationFeed, NamespaceIsolation, PolicyCoverage, Violation } from '@fleetdeck/shared';

import { demoViolationSource } from '../../src/sources/demo/violations/demo-violation-source.ts';

const T0 = Date.parse('2026-11-26T00:00:00Z');
const TICK = 30_000;

function demo(clusters = demoClusters(new Date(T0))) {
  let t = T0;
  const source = demoViolationSource({ clusters, now: () => t, tickMs: TICK });
  return { source, advance: (ms: number) => (t += ms) };
}

afterEach(() => vi.useRealTimers());

describe('demoViolationSource', () => {
  it('holds a realistic, valid mix over all three tenants and both engines', () => {
    const s = demo().source.snapshot();
    for (const v of s.violations) Violation.parse(v);
    for (const c of s.coverage) PolicyCoverage.parse(c);
    for (const i of s.isolation) NamespaceIsolation.parse(i);
    for (const f of s.feeds) ClusterViolationFeed.parse(f);
    expect(new Set(s.violations.map((v) => v.engine))).toEqual(new Set(['gatekeeper', 'kyverno']));
    const tenantOf = new Map(demoClusters(new Date(T0)).map((c) => [c.name, c.tenant]));
    for (const engine of ['gatekeeper', 'kyverno'])
      expect(new Set(s.violations.filter((v) => v.engine === engine).map((v) => tenantOf.get(v.cluster))).size).toBeGreaterThanOrEqual(2);
    expect(new Set(s.violations.map((v) => tenantOf.get(v.cluster)))).toEqual(new Set(['client-a', 'client-b', 'client-c']));
    const policies = s.violations.map((v) => v.policy).join(' ');
    for (const p of ['Privileged', 'latest-tag', 'RequiredLabels', 'AllowedRepos', 'nonroot', 'requests-limits'])
      expect(policies).toMatch(new RegExp(p, 'i'));
    expect(s.violations.length).toBeGreaterThan(100);
    expect(new Set(s.violations.map((v) => v.id)).size).toBe(s.violations.length);
    // A cluster-scoped finding exists (only whole-cluster viewers may see it).
    expect(s.violations.some((v) => v.resource.namespace === undefined)).toBe(true);
    expect(s.truncations).toContainEqual({ cluster: 'prod-us-east', policy: 'K8sRequiredLabels/must-have-owner', shown: 20, total: 143 });
    const listed = s.violations.filter((v) => v.cluster === 'prod-us-east' && v.policy === 'K8sRequiredLabels/must-have-owner');
    expect(listed.filter((v) => v.resource.namespace).length).toBeLessThanOrEqual(20);
    expect(s.namespaceCounts.length).toBeGreaterThan(0);
    expect(s.namespaceCounts.every((c) => c.pass > 0)).toBe(true);
  });

  it('has coverage gaps and isolation findings, and a stale feed for the store that lost its connection', () => {
    const s = demo().source.snapshot();
    expect(s.coverage.filter((c) => c.state === 'missing').map((c) => c.baseline)).toContain('require-pdb');
    expect(s.coverage.some((c) => c.cluster === 'prod-us-east' && c.baseline === 'require-pdb' && c.state !== 'missing')).toBe(true);
    expect(s.coverage.some((c) => c.state === 'notReady')).toBe(true);
    expect(s.isolation.filter((i) => i.state !== 'isolated').map((i) => [i.cluster, i.namespace, i.state])).toEqual([
      ['prod-us-west', 'client-a-jobs', 'missing'],
      ['prod-eu-west', 'client-b-web', 'wider'],
      ['client-c-staging', 'client-c-data', 'wider'],
    ]);
    expect(s.feeds.find((f) => f.cluster === 'edge-retail-011')).toMatchObject({
      state: 'stale',
      lastSyncAt: expect.any(String) as unknown,
    });
    expect(s.errors).toEqual([
      { source: 'spoke', cluster: 'edge-retail-011', reason: expect.stringContaining('edge-retail-011') as unknown },
    ]);
  });

  it('changes over time deterministically: each tick one finding appears and one is fixed, announced per cluster', async () => {
    vi.useFakeTimers({ now: T0 });
    const { source, advance } = demo();
    const again = demo().source;
    const a = source.snapshot();
    expect(again.snapshot()).toEqual(a);
    const heard: string[][] = [];
    source.onChange((c) => heard.push([...c]));
    await source.start();
    advance(TICK);
    vi.advanceTimersByTime(5_000);
    const b = source.snapshot();
    expect(b.version).toBeGreaterThan(a.version);
    const ids = (s: typeof a) => new Set(s.violations.map((v) => v.id));
    const appeared = b.violations.filter((v) => !ids(a).has(v.id));
    const fixed = a.violations.filter((v) => !ids(b).has(v.id));
    expect(appeared).toHaveLength(1);
    expect(fixed).toHaveLength(1);
    expect(appeared[0]!.firstSeenAt).toBe(new Date(T0 + TICK).toISOString());
    expect(heard).toEqual([[...new Set([appeared[0]!.cluster, fixed[0]!.cluster])].sort()]);
    // The same time gives the same answer; the same time later gives the next one.
    expect(source.snapshot()).toBe(b);
    advance(TICK);
    expect(source.snapshot().violations.map((v) => v.id)).not.toEqual(b.violations.map((v) => v.id));
    await source.stop();
  });

  it('speaks of the brief’s named clusters only', () => {
    const s = demo(demoClusters(new Date(T0), 50)).source.snapshot();
    expect(s.violations.some((v) => /-\d{5}$/.test(v.cluster))).toBe(false);
    expect(s.feeds).toHaveLength(demoClusters(new Date(T0)).length);
  });
});
