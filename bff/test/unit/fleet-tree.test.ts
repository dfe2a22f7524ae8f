import { describe, expect, it } from 'vitest';

import { FleetTree } from '@fleetdeck/shared';

import { resolveScope } from '../../src/access/resolve-scope.ts';
import { DEFAULT_ACCESS_POLICY } from '../../src/access/policy.ts';
import { buildFleetTree } from '../../src/domain/fleet-tree.ts';
import { BoundedMemo } from '../../src/lib/bounded-memo.ts';
import { fleetTreeJson } from '../../src/domain/fleet-tree.ts';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

const now = new Date('2026-11-24T10:00:00Z');

describe('buildFleetTree', () => {
  it('groups tenants → environments (in promotion order) → clusters (by name)', () => {
    const tree = buildFleetTree(demoClusters(now), now, []);
    expect(FleetTree.parse(tree)).toEqual(tree);
    expect(tree.tenants.map((t) => t.id)).toEqual(['client-a', 'client-b', 'client-c']);
    const b = tree.tenants[1]!;
    expect(b.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'production']);
    const aProd = tree.tenants[0]!.environments.find((e) => e.name === 'production')!;
    expect(aProd.clusters.map((c) => c.name)).toEqual([...aProd.clusters.map((c) => c.name)].sort());
    expect(tree.clusterCount).toBe(20);
  });

  it('keeps every cluster exactly once', () => {
    const clusters = demoClusters(now, 500);
    const tree = buildFleetTree(clusters, now, []);
    const names = tree.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters.map((c) => c.name)));
    expect(names).toHaveLength(clusters.length);
    expect(new Set(names).size).toBe(clusters.length);
  });

  it('places unknown environments after the known ones', () => {
    const [c] = demoClusters(now);
    const tree = buildFleetTree(
      [
        { ...c!, environment: 'qa' },
        { ...c!, name: 'x', environment: 'dev' },
      ],
      now,
      [],
    );
    expect(tree.tenants[0]!.environments.map((e) => e.name)).toEqual(['dev', 'qa']);
  });
});

describe('fleetTreeJson', () => {
  it("drops other tenants' clusters and their per-cluster errors", () => {
    const scope = resolveScope({ user: 'a', groups: ['tenant-client-a-admins'] }, DEFAULT_ACCESS_POLICY);
    const snapshot = {
      version: 1,
      clusters: demoClusters(now),
      syncedAt: now,
      errors: [
        { source: 'spoke', cluster: 'prod-eu-west', reason: 'timeout' },
        { source: 'spoke', cluster: 'prod-us-east', reason: 'timeout' },
        { source: 'hub', reason: 'watch restarted' },
      ],
    };
    const json = fleetTreeJson(snapshot, scope);
    expect(json).not.toMatch(/client-b|client-c|prod-eu-west|prod-asia/);
    expect(JSON.parse(json)).toMatchObject({ clusterCount: 15, errors: [{ cluster: 'prod-us-east' }, { source: 'hub' }] });
  });
});

describe('BoundedMemo', () => {
  it('computes once per key and forgets the least recently used past its limit', () => {
    const memo = new BoundedMemo<number>(2);
    let calls = 0;
    const get = (k: string) => memo.getOrCompute(k, () => ++calls);
    expect([get('a'), get('a'), get('b')]).toEqual([1, 1, 2]);
    get('a'); // a is now the most recent
    get('c'); // evicts b
    expect(memo.size).toBe(2);
    expect(get('a')).toBe(1);
    expect(get('b')).toBe(4);
  });
});
