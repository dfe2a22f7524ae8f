import { groupsFromAnnotations, type Cluster, type Condition } from '@fleetdeck/shared';

import { stateAt, type Kept, type Liveness, type StringPool } from './liveness.ts';

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

function toCondition(c: RawCondition, prefix = '', pool?: StringPool): Condition | undefined {
  if (!c.type || !c.status || !STATUSES.has(c.status)) return undefined;
  const i = <S extends string | undefined>(x: S): S => (pool ? pool.intern(x) : x);
  return {
    type: i(`${prefix}${c.type}`),
    status: c.status as Condition['status'],
    ...(c.reason && { reason: i(c.reason) }),
    ...(c.message && { message: c.message }),
    ...(c.lastTransitionTime &&
      !Number.isNaN(Date.parse(c.lastTransitionTime)) && { lastTransitionTime: i(new Date(c.lastTransitionTime).toISOString()) }),
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
  return keepMemberCluster(obj, labels, now)?.cluster;
}

/**
 * The mapped cluster and its liveness (what re-judging it as time passes needs), so an
 * informer can drop the raw object. `pool` shares repeated strings between clusters.
 */
export function keepMemberCluster(obj: MemberClusterObject, labels: PlacementLabels, now: Date, pool?: StringPool): Kept | undefined {
  const name = obj.metadata?.name;
  if (!name) return undefined;
  const metaLabels = pool ? pool.internRecord(obj.metadata?.labels ?? {}) : (obj.metadata?.labels ?? {});
  const annotations = pool ? pool.internRecord(obj.metadata?.annotations ?? {}) : (obj.metadata?.annotations ?? {});
  const status = obj.status ?? {};
  const agents = status.agentStatus ?? [];
  const heartbeats = agents.map((a) => Date.parse(a.lastReceivedHeartbeat ?? '')).filter((t) => !Number.isNaN(t));
  const lastHeartbeat = heartbeats.length > 0 ? Math.max(...heartbeats) : undefined;
  const period = (obj.spec?.heartbeatPeriodSeconds ?? 60) * 1000;
  const agentConditions = agents.flatMap((a) => a.conditions ?? []);

  let liveness: Liveness;
  if (obj.metadata?.deletionTimestamp) liveness = { state: 'Leaving' };
  else if (!isTrue(status.conditions, 'Joined')) liveness = { state: 'Joining' };
  else if (lastHeartbeat === undefined) liveness = { state: 'Unknown' };
  else {
    const failing = isFalse(agentConditions, 'Healthy') || isFalse(agentConditions, 'Joined');
    liveness = { state: failing ? 'NotReady' : 'Ready', staleAfter: lastHeartbeat + 3 * period };
  }

  const nodeCount = Number(status.properties?.['kubernetes-fleet.io/node-count']?.value);
  const version = status.properties?.['k8s.io/kubernetes-version']?.value;
  const cluster: Cluster = {
    name,
    tenant: metaLabels[labels.tenantLabel] ?? 'unassigned',
    environment: metaLabels[labels.environmentLabel] ?? 'unknown',
    labels: metaLabels,
    annotations,
    groups: groupsFromAnnotations(annotations),
    state: stateAt(liveness, now.getTime()),
    conditions: [
      ...(status.conditions ?? []).map((c) => toCondition(c, '', pool)),
      ...agents.flatMap((a) => (a.conditions ?? []).map((c) => toCondition(c, `${a.type ?? 'Agent'}/`, pool))),
    ].filter((c): c is Condition => c !== undefined),
    sync: { state: 'Unknown', driftedResources: 0 },
    ...(version && { kubernetesVersion: pool ? pool.intern(version) : version }),
    ...(Number.isInteger(nodeCount) && nodeCount >= 0 && { nodeCount }),
    ...(lastHeartbeat !== undefined && { lastHeartbeat: new Date(lastHeartbeat).toISOString() }),
    source: 'kubefleet',
  };
  return { cluster, liveness };
}
