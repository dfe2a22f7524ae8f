import { groupsFromAnnotations, type Cluster, type ClusterState, type Condition } from '@fleetdeck/shared';

import type { PlacementLabels } from '../kubefleet/member-cluster.ts';

/** The fields of a Rancher Fleet Cluster (fleet.cattle.io/v1alpha1) we read. */
export interface FleetClusterObject {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  status?: {
    display?: { readyBundles?: string; state?: string };
    agent?: { lastSeen?: string };
    conditions?: { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

/** A Rancher Fleet ClusterGroup: a named label selector over clusters in its namespace. */
export interface ClusterGroupObject {
  metadata?: { name?: string; namespace?: string };
  spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } };
}

export function groupMatches(group: ClusterGroupObject, labels: Record<string, string>): boolean {
  const sel = group.spec?.selector;
  // Fleet: a ClusterGroup without a selector matches nothing.
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const vals = e.values ?? [];
    const ok = { In: has && vals.includes(labels[e.key]!), NotIn: !has || !vals.includes(labels[e.key]!), Exists: has, DoesNotExist: !has }[
      e.operator
    ];
    if (!ok) return false;
  }
  return true;
}

// Fleet agents check in every 15 minutes by default; three missed check-ins is lost.
const AGENT_LOST_MS = 45 * 60 * 1000;

/**
 * A Rancher Fleet Cluster in the neutral model. Drift comes from readyBundles ("3/4":
 * one bundle not ready); an agent not seen for three check-in periods is Unknown.
 */
export function fromFleetCluster(
  obj: FleetClusterObject,
  labels: PlacementLabels,
  groups: readonly ClusterGroupObject[],
  now: Date,
): Cluster | undefined {
  const name = obj.metadata?.name;
  if (!name) return undefined;
  const metaLabels = obj.metadata?.labels ?? {};
  const status = obj.status ?? {};
  const lastSeen = Date.parse(status.agent?.lastSeen ?? '');
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  let state: ClusterState;
  if (obj.metadata?.deletionTimestamp) state = 'Leaving';
  else if (Number.isNaN(lastSeen)) state = status.display?.state === 'WaitCheckIn' ? 'Joining' : 'Unknown';
  else if (now.getTime() - lastSeen > AGENT_LOST_MS) state = 'Unknown';
  else if (ready?.status === 'True') state = 'Ready';
  else state = 'NotReady';
  const bundles = /^(\d+)\/(\d+)$/.exec(status.display?.readyBundles ?? '');
  const notReadyBundles = bundles ? Number(bundles[2]) - Number(bundles[1]) : undefined;
  const annotations = obj.metadata?.annotations ?? {};
  const ns = obj.metadata?.namespace;
  const conditions: Condition[] = (status.conditions ?? [])
    .filter((c) => c.type && (c.status === 'True' || c.status === 'False' || c.status === 'Unknown'))
    .map((c) => ({
      type: c.type!,
      status: c.status as Condition['status'],
      ...(c.reason && { reason: c.reason }),
      ...(c.message && { message: c.message }),
      ...(c.lastTransitionTime &&
        !Number.isNaN(Date.parse(c.lastTransitionTime)) && { lastTransitionTime: new Date(c.lastTransitionTime).toISOString() }),
    }));
  return {
    name,
    tenant: metaLabels[labels.tenantLabel] ?? 'unassigned',
    environment: metaLabels[labels.environmentLabel] ?? 'unknown',
    labels: metaLabels,
    annotations,
    groups: [
      ...new Set([
        ...groups
          .filter((g) => g.metadata?.namespace === ns && g.metadata?.name && groupMatches(g, metaLabels))
          .map((g) => g.metadata!.name!),
        ...groupsFromAnnotations(annotations),
      ]),
    ].sort(),
    state,
    conditions,
    sync:
      notReadyBundles === undefined
        ? { state: 'Unknown', driftedResources: 0 }
        : notReadyBundles > 0
          ? { state: 'Drifted', driftedResources: notReadyBundles }
          : { state: 'InSync', driftedResources: 0 },
    ...(!Number.isNaN(lastSeen) && { lastHeartbeat: new Date(lastSeen).toISOString() }),
    source: 'rancher-fleet',
  };
}
