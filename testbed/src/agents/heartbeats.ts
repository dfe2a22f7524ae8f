/**
 * What the member agents of a real fleet keep doing and the testbed otherwise lacks: each
 * healthy member cluster's agent heartbeats to the hub. Without it the seeded heartbeats
 * go stale a few minutes after the testbed starts and every seeded cluster looks
 * unreachable to whatever runs later (the inventory judges liveness by heartbeat age).
 * Only the clusters the seed made healthy heartbeat; the seeded unhealthy ones, and any
 * object a test creates, are left alone.
 */

interface AgentStatus {
  type?: string;
  lastReceivedHeartbeat?: string;
  conditions?: { type?: string; status?: string }[];
}

export interface MemberClusterStatus {
  agentStatus?: AgentStatus[];
  properties?: Record<string, { value?: string; observationTime?: string }>;
}

/** The MemberCluster status with the member agent's heartbeat (and its property observations) at `now`; undefined when not healthy. */
export function memberHeartbeat(status: MemberClusterStatus | undefined, now: string): MemberClusterStatus | undefined {
  const agent = status?.agentStatus?.find((a) => a.type === 'MemberAgent');
  if (!agent?.conditions?.some((c) => c.type === 'Healthy' && c.status === 'True')) return undefined;
  return {
    ...status,
    agentStatus: status!.agentStatus!.map((a) => (a === agent ? { ...a, lastReceivedHeartbeat: now } : a)),
    ...(status!.properties && {
      properties: Object.fromEntries(Object.entries(status!.properties).map(([k, p]) => [k, { ...p, observationTime: now }])),
    }),
  };
}

export interface FleetClusterStatus {
  agent?: { lastSeen?: string };
  conditions?: { type?: string; status?: string }[];
}

/** The Rancher Fleet Cluster status with the agent seen at `now`; undefined when not Ready. */
export function fleetAgentSeen(status: FleetClusterStatus | undefined, now: string): FleetClusterStatus | undefined {
  if (!status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return undefined;
  return { ...status, agent: { ...status.agent, lastSeen: now } };
}
