import { describe, expect, it } from 'vitest';

import { parseSelector, type ClusterEvent, type FleetTree } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { formatRelative } from '../src/components/relative-time.tsx';
import { applyClusterEvents } from '../src/features/fleet/apply-events.ts';
import { selectRows, tryParseSelector } from '../src/features/fleet/select.ts';

const now = new Date('2026-11-24T10:00:00Z');
const clusters = demoClusters(now);
const tree: FleetTree = applyClusterEvents(
  {
    tenants: [],
    clusterCount: 0,
    visibleCount: 0,
    facets: { environment: {}, region: {}, state: {} },
    syncedAt: now.toISOString(),
    errors: [],
  },
  clusters.map((cluster) => ({ type: 'ADDED' as const, cluster })),
);

describe('selectRows', () => {
  it('flattens tenants → environments → clusters into rows, in the BFF’s order', () => {
    const { rows, clusters: picked } = selectRows(tree, parseSelector(''));
    expect(picked).toHaveLength(20);
    expect(rows.filter((r) => r.kind === 'tenant').map((r) => (r.kind === 'tenant' ? r.tenant : ''))).toEqual([
      'client-a',
      'client-b',
      'client-c',
    ]);
    expect(rows[1]).toMatchObject({ kind: 'environment', environment: 'staging' });
    expect(rows).toHaveLength(20 + 3 + 7);
  });

  it('applies the shared selector and the state filter, with facets of what is left', () => {
    const { clusters: prod, facets } = selectRows(tree, parseSelector('env=production, client=client-a'));
    expect(prod).toHaveLength(14);
    expect(facets.environment).toEqual({ production: 14 });
    expect(facets.state).toEqual({ Ready: 12, NotReady: 1, Unknown: 1 });
    expect(selectRows(tree, parseSelector('edge-clusters/*'), 'NotReady').clusters.map((c) => c.name)).toEqual(['edge-retail-007']);
    expect(selectRows(tree, parseSelector('nothing-matches-*')).rows).toEqual([]);
  });

  it('reports a bad selector with its position instead of throwing', () => {
    expect(tryParseSelector('env=prod,,x')).toMatchObject({ ok: false, position: 9 });
    expect(tryParseSelector('env=prod')).toMatchObject({ ok: true });
  });
});

describe('applyClusterEvents', () => {
  const east = clusters.find((c) => c.name === 'prod-us-east')!;
  it('modifies in place, moves a cluster whose environment changed, deletes, and recounts', () => {
    const events: ClusterEvent[] = [
      { type: 'MODIFIED', cluster: { ...east, state: 'NotReady' } },
      {
        type: 'MODIFIED',
        cluster: { ...clusters.find((c) => c.name === 'client-b-dev')!, environment: 'staging', labels: { env: 'staging' } },
      },
      { type: 'DELETED', name: 'prod-asia' },
    ];
    const next = applyClusterEvents(tree, events);
    const names = (t: FleetTree, tenant: string, env: string) =>
      t.tenants
        .find((x) => x.id === tenant)
        ?.environments.find((e) => e.name === env)
        ?.clusters.map((c) => c.name);
    expect(next.clusterCount).toBe(19);
    expect(names(next, 'client-b', 'dev')).toBeUndefined();
    expect(names(next, 'client-b', 'staging')).toEqual(['client-b-dev', 'client-b-staging']);
    expect(names(next, 'client-c', 'production')).toBeUndefined();
    expect(next.facets.state.NotReady).toBe(2);
    // The original cache entry is not mutated.
    expect(tree.clusterCount).toBe(20);
  });

  it('adds a new tenant in order', () => {
    const next = applyClusterEvents(tree, [
      { type: 'ADDED', cluster: { ...east, name: 'aaa-new', tenant: 'client-0', environment: 'dev' } },
    ]);
    expect(next.tenants.map((t) => t.id)).toEqual(['client-0', 'client-a', 'client-b', 'client-c']);
  });
});

describe('formatRelative', () => {
  const ref = Date.parse('2026-11-24T10:00:00Z');
  it('picks the largest whole unit', () => {
    expect(formatRelative(new Date(ref - 5_000), ref)).toMatch(/5 seconds ago/);
    expect(formatRelative(new Date(ref - 25 * 60_000), ref)).toMatch(/25 minutes ago/);
    expect(formatRelative(new Date(ref - 3 * 3_600_000), ref)).toMatch(/3 hours ago/);
    expect(formatRelative(new Date(ref + 2 * 86_400_000), ref)).toMatch(/in 2 days/);
  });
});
