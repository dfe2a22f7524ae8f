import { describe, expect, it } from 'vitest';

import { Cluster } from '@fleetdeck/shared';

import { fromFleetCluster, groupMatches, type FleetClusterObject } from '../../src/sources/rancher/fleet-cluster.ts';
import { fromStaticFile } from '../../src/sources/static/static-source.ts';

const now = new Date('2026-11-24T10:00:00Z');
const labels = { tenantLabel: 'client', environmentLabel: 'env' };
const ago = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const obj = (over: Partial<NonNullable<FleetClusterObject['status']>> = {}): FleetClusterObject => ({
  metadata: { name: 'edge-1', namespace: 'fleet-default', labels: { client: 'client-a', env: 'production', tier: 'edge' } },
  status: {
    display: { readyBundles: '4/4', state: 'Active' },
    agent: { lastSeen: ago(5) },
    conditions: [{ type: 'Ready', status: 'True' }],
    ...over,
  },
});
const edgeGroup = {
  metadata: { name: 'edge-clusters', namespace: 'fleet-default' },
  spec: { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['edge', 'canary'] }] } },
};

describe('fromFleetCluster (Rancher Fleet)', () => {
  it('maps a healthy cluster with its ClusterGroups', () => {
    const c = fromFleetCluster(obj(), labels, [edgeGroup, { ...edgeGroup, metadata: { name: 'other-ns', namespace: 'elsewhere' } }], now)!;
    expect(Cluster.parse(c)).toEqual(c);
    expect(c).toMatchObject({
      tenant: 'client-a',
      environment: 'production',
      state: 'Ready',
      groups: ['edge-clusters'],
      sync: { state: 'InSync' },
      source: 'rancher-fleet',
    });
  });

  it('reads drift from readyBundles, and an agent silent for 45 min as Unknown', () => {
    expect(fromFleetCluster(obj({ display: { readyBundles: '2/4' } }), labels, [], now)!.sync).toEqual({
      state: 'Drifted',
      driftedResources: 2,
    });
    expect(fromFleetCluster(obj({ agent: { lastSeen: ago(46) } }), labels, [], now)!.state).toBe('Unknown');
    expect(fromFleetCluster(obj({ conditions: [{ type: 'Ready', status: 'False' }] }), labels, [], now)!.state).toBe('NotReady');
    expect(fromFleetCluster(obj({ agent: {}, display: { state: 'WaitCheckIn' } }), labels, [], now)!.state).toBe('Joining');
  });

  it('matches ClusterGroup selectors like Fleet (no selector: nothing)', () => {
    expect(groupMatches(edgeGroup, { tier: 'canary' })).toBe(true);
    expect(groupMatches(edgeGroup, { tier: 'core' })).toBe(false);
    expect(groupMatches({ spec: {} }, { tier: 'edge' })).toBe(false);
  });
});

describe('fromStaticFile', () => {
  it('declares clusters as Unknown, never Ready', () => {
    const [c] = fromStaticFile(
      { clusters: [{ name: 'lab-1', labels: { client: 'client-a', env: 'dev' }, annotations: { 'fleetdeck.dev/groups': 'lab, gpu' } }] },
      labels,
    );
    expect(c).toMatchObject({ tenant: 'client-a', environment: 'dev', state: 'Unknown', groups: ['lab', 'gpu'], source: 'static' });
  });
});
