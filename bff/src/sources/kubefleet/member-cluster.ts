import { groupsFromAnnotations, type Cluster, type ClusterState, type Condition } from '@fleetdeck/shared';

/** The fields of a KubeFleet MemberCluster we read; everything else is tolerated and ignored. */
export interface MemberClusterObject {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec?: { heartbeatPeriodSeconds?: number };
  status?: {
    conditions?: RawCondition[];
    properties?: Record<string, { value?: string; observationTime?: string }>;
    agentStatus?: { type?: string; conditions?: RawCondition[]; lastReceivedHeartbeat?: string }[];
  };
}

interface RawCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface PlacementLabels {
  tenantLabel: string;
  environmentLabel: string;
}

const STATUSES = new Set(['True', 'False', 'Unknown']);

function toCondition(c: RawCondition, prefix = ''): Condition | undefined {
  if (!c.type || !c.status || !STATUSES.has(c.status)) return undefined;
  return {
    type: `${prefix}${c.type}`,
    status: c.status as Condition['status'],
    ...(c.reason && { reason: c.reason }),
    ...(c.message && { message: c.message }),
    ...(c.lastTransitionTime &&
      !Number.isNaN(Date.parse(c.lastTransitionTime)) && { lastTransitionTime: new Date(c.lastTransitionTime).toISOString() }),
  };
}

const isTrue = (conds: RawCondition[] | undefined, type: string) => conds?.some((c) => c.type === type && c.status === 'True') ?? false;
const isFalse = (conds: RawCondition[] | undefined, type: string) => conds?.some((c) => c.type === type && c.status === 'False') ?? false;

/**
 * A MemberCluster in the neutral model. A cluster whose agent stopped heartbeating
 * (three periods, default 60 s) is Unknown, never Ready: a disconnected cluster must
 * not look healthy.
 */
export function fromMemberCluster(obj: MemberClusterObject, labels: PlacementLabels, now: Date): Cluster | undefined {
  const name = obj.metadata?.name;
  if (!name) return undefined;
  const metaLabels = obj.metadata?.labels ?? {};
  const status = obj.status ?? {};
  const agents = status.agentStatus ?? [];
  const heartbeats = agents.map((a) => Date.parse(a.lastReceivedHeartbeat ?? '')).filter((t) => !Number.isNaN(t));
  const lastHeartbeat = heartbeats.length > 0 ? Math.max(...heartbeats) : undefined;
  const period = (obj.spec?.heartbeatPeriodSeconds ?? 60) * 1000;
  const agentConditions = agents.flatMap((a) => a.conditions ?? []);

  let state: ClusterState;
  if (obj.metadata?.deletionTimestamp) state = 'Leaving';
  else if (!isTrue(status.conditions, 'Joined')) state = 'Joining';
  else if (lastHeartbeat === undefined || now.getTime() - lastHeartbeat > 3 * period) state = 'Unknown';
  else if (isFalse(agentConditions, 'Healthy') || isFalse(agentConditions, 'Joined')) state = 'NotReady';
  else state = 'Ready';

  const nodeCount = Number(status.properties?.['kubernetes-fleet.io/node-count']?.value);
  const version = status.properties?.['k8s.io/kubernetes-version']?.value;
  return {
    name,
    tenant: metaLabels[labels.tenantLabel] ?? 'unassigned',
    environment: metaLabels[labels.environmentLabel] ?? 'unknown',
    labels: metaLabels,
    annotations: obj.metadata?.annotations ?? {},
    groups: groupsFromAnnotations(obj.metadata?.annotations ?? {}),
    state,
    conditions: [
      ...(status.conditions ?? []).map((c) => toCondition(c)),
      ...agents.flatMap((a) => (a.conditions ?? []).map((c) => toCondition(c, `${a.type ?? 'Agent'}/`))),
    ].filter((c): c is Condition => c !== undefined),
    sync: { state: 'Unknown', driftedResources: 0 },
    ...(version && { kubernetesVersion: version }),
    ...(Number.isInteger(nodeCount) && nodeCount >= 0 && { nodeCount }),
    ...(lastHeartbeat !== undefined && { lastHeartbeat: new Date(lastHeartbeat).toISOString() }),
    source: 'kubefleet',
  };
}
