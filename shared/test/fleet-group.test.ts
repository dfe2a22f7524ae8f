import { describe, expect, it } from 'vitest';

import { compareEnvironments, groupFleet, type Cluster } from '../src/index.ts';
import { demoClusters } from '../src/fixtures/brief-fleet.ts';

const clusters = demoClusters(new Date('2026-11-24T10:00:00Z'));
const base = clusters[0]!;
const make = (name: string, tenant: string, environment: string): Cluster => ({ ...base, name, tenant, environment });

describe('groupFleet', () => {
  it('groups tenants by id, environments in promotion order, clusters by name', () => {
    const tenants = groupFleet([
      make('b', 'zeta', 'production'),
      make('a', 'zeta', 'production'),
      make('c', 'alpha', 'qa'),
      make('d', 'alpha', 'production'),
      make('e', 'alpha', 'dev'),
      make('f', 'alpha', 'canary'),
      make('g', 'alpha', 'staging'),
    ]);
    expect(tenants.map((t) => t.id)).toEqual(['alpha', 'zeta']);
    expect(tenants[0]!.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'production', 'canary', 'qa']);
    expect(tenants[1]!.environments[0]!.clusters.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('keeps every cluster once and does not modify its input', () => {
    const input = [...clusters].reverse();
    const before = input.map((c) => c.name);
    const tenants = groupFleet(input);
    const grouped = tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters.map((c) => c.name)));
    expect(grouped.toSorted()).toEqual(before.toSorted());
    expect(input.map((c) => c.name)).toEqual(before);
    expect(tenants.map((t) => t.id)).toEqual(['client-a', 'client-b', 'client-c']);
  });

  it('gives nothing for no clusters', () => {
    expect(groupFleet([])).toEqual([]);
  });
});

describe('compareEnvironments', () => {
  it('orders known environments by promotion and the rest alphabetically after them', () => {
    expect(['zz', 'production', 'aa', 'dev', 'staging'].sort(compareEnvironments)).toEqual(['dev', 'staging', 'production', 'aa', 'zz']);
  });
});
