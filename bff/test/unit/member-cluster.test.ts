import { describe, expect, it } from 'vitest';

import { Cluster } from '@fleetdeck/shared';

import { fromMemberCluster, type MemberClusterObject } from '../../src/sources/kubefleet/member-cluster.ts';

const now = new Date('2026-11-24T10:00:00Z');
const labels = { tenantLabel: 'client', environmentLabel: 'env' };
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

function mc(
  overrides: { heartbeatAgo?: number; joined?: string; healthy?: string; deleting?: boolean; extra?: Record<string, unknown> } = {},
): MemberClusterObject {
  return {
    metadata: {
      name: 'prod-us-east',
      labels: { client: 'client-a', env: 'production', region: 'us-east' },
      annotations: { compliance: 'pci' },
      ...(overrides.deleting && { deletionTimestamp: ago(5) }),
    },
    spec: { heartbeatPeriodSeconds: 60 },
    status: {
      conditions: [{ type: 'Joined', status: overrides.joined ?? 'True', reason: 'Joined', lastTransitionTime: ago(3600) }],
      properties: { 'kubernetes-fleet.io/node-count': { value: '12' } },
      agentStatus: [
        {
          type: 'MemberAgent',
          lastReceivedHeartbeat: ago(overrides.heartbeatAgo ?? 30),
          conditions: [{ type: 'Healthy', status: overrides.healthy ?? 'True', reason: 'x' }],
        },
      ],
      ...overrides.extra,
    },
  };
}

describe('fromMemberCluster', () => {
  it('maps a healthy MemberCluster into the model', () => {
    const c = fromMemberCluster(mc(), labels, now)!;
    expect(Cluster.parse(c)).toEqual(c);
    expect(c).toMatchObject({
      name: 'prod-us-east',
      tenant: 'client-a',
      environment: 'production',
      state: 'Ready',
      nodeCount: 12,
      source: 'kubefleet',
      lastHeartbeat: ago(30),
    });
    expect(c.conditions.map((x) => x.type)).toEqual(['Joined', 'MemberAgent/Healthy']);
  });

  it('never shows a cluster whose agent went quiet as Ready', () => {
    expect(fromMemberCluster(mc({ heartbeatAgo: 181 }), labels, now)!.state).toBe('Unknown');
    expect(fromMemberCluster(mc({ heartbeatAgo: 179 }), labels, now)!.state).toBe('Ready');
    const noAgent = mc();
    noAgent.status!.agentStatus = [];
    expect(fromMemberCluster(noAgent, labels, now)!.state).toBe('Unknown');
  });

  it('reads joining, unhealthy and leaving clusters', () => {
    expect(fromMemberCluster(mc({ joined: 'False' }), labels, now)!.state).toBe('Joining');
    expect(fromMemberCluster(mc({ healthy: 'False' }), labels, now)!.state).toBe('NotReady');
    expect(fromMemberCluster(mc({ deleting: true }), labels, now)!.state).toBe('Leaving');
  });

  it('tolerates unknown fields, odd conditions and missing labels', () => {
    const odd = mc({ extra: { somethingNew: { a: 1 } } });
    odd.status!.conditions!.push({ type: 'Weird', status: 'Maybe' }, { status: 'True' });
    odd.metadata!.labels = {};
    const c = fromMemberCluster(odd, labels, now)!;
    expect(c).toMatchObject({ tenant: 'unassigned', environment: 'unknown' });
    expect(c.conditions.map((x) => x.type)).not.toContain('Weird');
    expect(fromMemberCluster({}, labels, now)).toBeUndefined();
  });

  it('uses the configured tenant and environment labels', () => {
    const c = fromMemberCluster(mc(), { tenantLabel: 'region', environmentLabel: 'client' }, now)!;
    expect(c).toMatchObject({ tenant: 'us-east', environment: 'client-a' });
  });
});
