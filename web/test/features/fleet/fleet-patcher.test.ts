import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { facetsOf, groupFleet, type FleetTree } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { queryKeys } from '../../../src/api/query-keys.ts';
import { fleetPatcher } from '../../../src/features/fleet/fleet-patcher.ts';

const clusters = demoClusters(new Date('2026-11-24T10:00:00Z'));
const tree: FleetTree = {
  tenants: groupFleet(clusters),
  clusterCount: clusters.length,
  visibleCount: clusters.length,
  facets: facetsOf(clusters),
  syncedAt: '2026-11-24T10:00:00.000Z',
  errors: [],
};

describe('fleetPatcher', () => {
  it('patches the cached fleet tree through the key factory', () => {
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.fleet.tree(), tree);
    fleetPatcher.apply(qc, [{ type: 'DELETED', name: 'prod-asia' }]);
    expect(qc.getQueryData<FleetTree>(queryKeys.fleet.tree())?.clusterCount).toBe(clusters.length - 1);
  });

  it('leaves an empty cache alone (the page fetches it)', () => {
    const qc = new QueryClient();
    fleetPatcher.apply(qc, [{ type: 'DELETED', name: 'prod-asia' }]);
    expect(qc.getQueryData(queryKeys.fleet.tree())).toBeUndefined();
  });

  it('marks every fleet query stale on resync', async () => {
    const qc = new QueryClient();
    qc.setQueryData(queryKeys.fleet.tree(), tree);
    qc.setQueryData(queryKeys.fleet.health(), { clusters: {}, errors: [] });
    await fleetPatcher.resync(qc);
    expect(qc.getQueryState(queryKeys.fleet.tree())?.isInvalidated).toBe(true);
    expect(qc.getQueryState(queryKeys.fleet.health())?.isInvalidated).toBe(true);
  });
});
