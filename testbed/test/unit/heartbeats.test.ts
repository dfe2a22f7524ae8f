import { describe, expect, it } from 'vitest';

import { fleetAgentSeen, memberHeartbeat } from '../../src/agents/heartbeats.ts';

const NOW = '2026-11-26T07:00:00Z';
const OLD = '2026-11-26T06:00:00Z';

describe('member agent heartbeats (testbed stand-in)', () => {
  it('moves a healthy member cluster’s heartbeat and property observations to now, keeping its conditions', () => {
    const status = {
      agentStatus: [
        { type: 'MemberAgent', lastReceivedHeartbeat: OLD, conditions: [{ type: 'Healthy', status: 'True' }] },
        { type: 'PropertyProvider', lastReceivedHeartbeat: OLD, conditions: [] },
      ],
      properties: { 'kubernetes-fleet.io/node-count': { value: '3', observationTime: OLD } },
    };
    const next = memberHeartbeat(status, NOW)!;
    expect(next.agentStatus![0]).toEqual({ ...status.agentStatus[0], lastReceivedHeartbeat: NOW });
    expect(next.agentStatus![1]).toEqual(status.agentStatus[1]);
    expect(next.properties!['kubernetes-fleet.io/node-count']).toEqual({ value: '3', observationTime: NOW });
  });

  it('leaves an unhealthy member cluster stale (the seed made it so on purpose)', () => {
    const status = {
      agentStatus: [{ type: 'MemberAgent', lastReceivedHeartbeat: OLD, conditions: [{ type: 'Healthy', status: 'False' }] }],
    };
    expect(memberHeartbeat(status, NOW)).toBeUndefined();
    expect(memberHeartbeat(undefined, NOW)).toBeUndefined();
  });

  it('marks a Ready Fleet cluster’s agent seen now, and leaves a not-ready one alone', () => {
    expect(fleetAgentSeen({ agent: { lastSeen: OLD }, conditions: [{ type: 'Ready', status: 'True' }] }, NOW)?.agent).toEqual({
      lastSeen: NOW,
    });
    expect(fleetAgentSeen({ agent: { lastSeen: OLD }, conditions: [{ type: 'Ready', status: 'False' }] }, NOW)).toBeUndefined();
  });
});
