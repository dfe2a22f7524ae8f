import { describe, expect, it } from 'vitest';

import type { Cluster, FleetTree } from '@fleetdeck/shared';

import { formatRelative } from '../src/components/relative-time.tsx';
import { filterTree, matchesQuickFilter } from '../src/features/fleet/filter.ts';

const cluster = (name: string, labels: Record<string, string>): Cluster => ({
  name,
  tenant: labels.client ?? 't',
  environment: labels.env ?? 'dev',
  labels,
  annotations: {},
  state: 'Ready',
  conditions: [],
  sync: { state: 'InSync', driftedResources: 0 },
  source: 'demo',
});

describe('quick filter', () => {
  const east = cluster('prod-us-east', { client: 'client-a', env: 'production', region: 'us-east' });
  it('matches every word against name and label values, case-insensitively', () => {
    expect(matchesQuickFilter(east, '')).toBe(true);
    expect(matchesQuickFilter(east, 'PROD east')).toBe(true);
    expect(matchesQuickFilter(east, 'production us-east')).toBe(true);
    expect(matchesQuickFilter(east, 'prod west')).toBe(false);
  });

  it('drops empty environments and tenants', () => {
    const tree: FleetTree = {
      tenants: [
        { id: 'client-a', environments: [{ name: 'production', clusters: [east] }] },
        { id: 'client-b', environments: [{ name: 'dev', clusters: [cluster('b-dev', { client: 'client-b', env: 'dev' })] }] },
      ],
      clusterCount: 2,
      syncedAt: '2026-11-24T10:00:00Z',
      errors: [],
    };
    expect(filterTree(tree, 'east').map((t) => t.id)).toEqual(['client-a']);
    expect(filterTree(tree, 'nothing')).toEqual([]);
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
