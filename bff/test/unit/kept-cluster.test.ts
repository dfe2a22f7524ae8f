import { describe, expect, it } from 'vitest';

import { continueToken, slimObject } from '../../src/sources/informer-inventory.ts';
import { rejudgeLiveness, stateAt, StringPool } from '../../src/sources/kubefleet/liveness.ts';
import { fromMemberCluster, keepMemberCluster, type MemberClusterObject } from '../../src/sources/kubefleet/member-cluster.ts';
import {
  fromFleetCluster,
  keepFleetCluster,
  rejudgeFleetCluster,
  type ClusterGroupObject,
  type FleetClusterObject,
} from '../../src/sources/rancher/fleet-cluster.ts';

const t0 = new Date('2026-11-24T10:00:00Z');
const labels = { tenantLabel: 'client', environmentLabel: 'env' };
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const iso = (s: number) => at(s).toISOString();

function member(
  o: { heartbeat?: number; joined?: string; healthy?: string; deleting?: boolean; period?: number } = {},
): MemberClusterObject {
  return {
    metadata: {
      name: 'prod-us-east',
      labels: { client: 'client-a', env: 'production', region: 'us-east' },
      annotations: { 'fleetdeck.dev/groups': 'gpu' },
      ...(o.deleting && { deletionTimestamp: iso(-5) }),
    },
    spec: { ...(o.period !== undefined && { heartbeatPeriodSeconds: o.period }) },
    status: {
      conditions: [{ type: 'Joined', status: o.joined ?? 'True', reason: 'Joined', lastTransitionTime: iso(-3600) }],
      properties: { 'kubernetes-fleet.io/node-count': { value: '3' } },
      agentStatus: [
        {
          type: 'MemberAgent',
          ...(o.heartbeat !== undefined && { lastReceivedHeartbeat: iso(o.heartbeat) }),
          conditions: [{ type: 'Healthy', status: o.healthy ?? 'True', reason: 'x', lastTransitionTime: iso(-3600) }],
        },
      ],
    },
  };
}

describe('stateAt', () => {
  it('keeps the state until staleAfter, then says Unknown; without staleAfter it never ages', () => {
    expect(stateAt({ state: 'Ready', staleAfter: 1000 }, 1000)).toBe('Ready');
    expect(stateAt({ state: 'NotReady', staleAfter: 1000 }, 1001)).toBe('Unknown');
    expect(stateAt({ state: 'Leaving' }, Number.MAX_SAFE_INTEGER)).toBe('Leaving');
    expect(stateAt({ state: 'Ready', staleAfter: Number.NaN }, 5)).toBe('Ready');
  });
});

describe('keepMemberCluster + rejudgeLiveness', () => {
  const cases = {
    fresh: member({ heartbeat: 0 }),
    unhealthy: member({ heartbeat: 0, healthy: 'False' }),
    'short period': member({ heartbeat: 0, period: 10 }),
    'no heartbeat': member(),
    joining: member({ heartbeat: 0, joined: 'False' }),
    leaving: member({ heartbeat: 0, deleting: true }),
  };
  // Seconds after t0 to judge at: around 3 × 10 s and 3 × 60 s after the heartbeat.
  const later = [0, 29, 30, 31, 179, 180, 181, 3600];

  for (const [name, obj] of Object.entries(cases)) {
    it(`re-judging what was kept equals mapping the raw object again (${name})`, () => {
      const kept = keepMemberCluster(obj, labels, t0)!;
      expect(kept.cluster).toEqual(fromMemberCluster(obj, labels, t0));
      for (const s of later) {
        const rejudged = rejudgeLiveness(kept, at(s));
        expect(rejudged).toEqual(fromMemberCluster(obj, labels, at(s)));
        if (rejudged.state === kept.cluster.state) expect(rejudged).toBe(kept.cluster);
      }
    });
  }

  it('turns a silent agent Unknown after three heartbeat periods', () => {
    const kept = keepMemberCluster(member({ heartbeat: 0 }), labels, t0)!;
    expect(rejudgeLiveness(kept, at(180)).state).toBe('Ready');
    expect(rejudgeLiveness(kept, at(181)).state).toBe('Unknown');
  });

  it('maps the same with a string pool, sharing repeated strings between clusters', () => {
    const pool = new StringPool();
    const a = keepMemberCluster(member({ heartbeat: 0 }), labels, t0, pool)!.cluster;
    const b = keepMemberCluster(member({ heartbeat: 0 }), labels, t0, pool)!.cluster;
    expect(a).toEqual(fromMemberCluster(member({ heartbeat: 0 }), labels, t0));
    expect(a.labels).not.toBe(b.labels);
    expect(a.labels).toEqual(b.labels);
    expect(pool.size).toBeGreaterThan(0);
  });
});

describe('StringPool', () => {
  it('returns the first instance of equal strings, leaves long ones alone and starts over when full', () => {
    const pool = new StringPool(2);
    const first = pool.intern(['a', 'b'].join(''));
    expect(pool.intern('ab')).toBe(first);
    expect(pool.intern(undefined)).toBeUndefined();
    const long = 'x'.repeat(65);
    expect(pool.intern(long)).toBe(long);
    expect(pool.size).toBe(1);
    pool.intern('c');
    pool.intern('d');
    expect(pool.size).toBe(1);
  });

  it('interns records into new objects with the same entries in the same order', () => {
    const pool = new StringPool();
    const record = { b: '2', a: '1' };
    const out = pool.internRecord(record);
    expect(out).not.toBe(record);
    expect(Object.entries(out)).toEqual([
      ['b', '2'],
      ['a', '1'],
    ]);
  });
});

describe('keepFleetCluster + rejudgeFleetCluster (Rancher Fleet)', () => {
  const obj: FleetClusterObject = {
    metadata: { name: 'edge-1', namespace: 'fleet-default', labels: { client: 'client-a', env: 'production', tier: 'edge' } },
    status: { display: { readyBundles: '4/4' }, agent: { lastSeen: iso(0) }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const edge: ClusterGroupObject = {
    metadata: { name: 'edge-clusters', namespace: 'fleet-default' },
    spec: { selector: { matchLabels: { tier: 'edge' } } },
  };

  it('re-judging equals mapping again, as time passes and as the ClusterGroups change', () => {
    const kept = keepFleetCluster(obj, labels, [], t0)!;
    expect(kept.namespace).toBe('fleet-default');
    expect(kept.cluster).toEqual(fromFleetCluster(obj, labels, [], t0));
    expect(rejudgeFleetCluster(kept, [], at(60))).toBe(kept.cluster);
    for (const [groups, s] of [
      [[edge], 0],
      [[edge, { ...edge, metadata: { name: 'other', namespace: 'elsewhere' } }], 45 * 60 + 1],
      [[], 45 * 60],
    ] as const) {
      expect(rejudgeFleetCluster(kept, groups, at(s))).toEqual(fromFleetCluster(obj, labels, groups, at(s)));
    }
  });
});

describe('slimObject and continueToken', () => {
  it('keeps the identity and what reduce returns, nothing else', () => {
    const raw = {
      metadata: { name: 'a', namespace: 'ns', resourceVersion: '7', managedFields: [{ manager: 'x' }], uid: 'u' },
      status: { big: 'x'.repeat(1000) },
    };
    expect(slimObject(raw, (o) => o.metadata.name.toUpperCase())).toEqual({
      metadata: { name: 'a', namespace: 'ns', resourceVersion: '7' },
      kept: 'A',
    });
    expect(slimObject({ metadata: { name: 'b' } }, undefined)).toEqual({ metadata: { name: 'b' }, kept: undefined });
  });

  it('reads the continue token of a plain JSON list or a typed one', () => {
    expect(continueToken({ items: [], metadata: { continue: 'abc' } as never })).toBe('abc');
    expect(continueToken({ items: [], metadata: { _continue: 'def' } })).toBe('def');
    expect(continueToken({ items: [], metadata: { _continue: '' } })).toBeUndefined();
    expect(continueToken({ items: [] })).toBeUndefined();
  });
});
