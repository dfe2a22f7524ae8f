import { groupsFromAnnotations, type Cluster, type Condition } from '@fleetdeck/shared';

import { stateAt, type Kept, type Liveness, type StringPool } from '../kubefleet/liveness.ts';
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

/** The groups of a cluster in `namespace`: matching ClusterGroups there, and those its annotations name; sorted. */
export function fleetClusterGroups(
  namespace: string | undefined,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  groups: readonly ClusterGroupObject[],
): string[] {
  return [
    ...new Set([
      ...groups
        .filter((g) => g.metadata?.namespace === namespace && g.metadata?.name && groupMatches(g, labels))
        .map((g) => g.metadata!.name!),
      ...groupsFromAnnotations(annotations),
    ]),
  ].sort();
}

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
  return keepFleetCluster(obj, labels, groups, now)?.cluster;
}

/**
 * The mapped cluster, its liveness and namespace: what re-judging it (time passed, or
 * the ClusterGroups changed) needs, so an informer can drop the raw object.
 */
export function keepFleetCluster(
  obj: FleetClusterObject,
  labels: PlacementLabels,
  groups: readonly ClusterGroupObject[],
  now: Date,
  pool?: StringPool,
): Kept | undefined {
  const name = obj.metadata?.name;
  if (!name) return undefined;
  const metaLabels = pool ? pool.internRecord(obj.metadata?.labels ?? {}) : (obj.metadata?.labels ?? {});
  const annotations = pool ? pool.internRecord(obj.metadata?.annotations ?? {}) : (obj.metadata?.annotations ?? {});
  const i = <S extends string | undefined>(x: S): S => (pool ? pool.intern(x) : x);
  const status = obj.status ?? {};
  const lastSeen = Date.parse(status.agent?.lastSeen ?? '');
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  let liveness: Liveness;
  if (obj.metadata?.deletionTimestamp) liveness = { state: 'Leaving' };
  else if (Number.isNaN(lastSeen)) liveness = { state: status.display?.state === 'WaitCheckIn' ? 'Joining' : 'Unknown' };
  else liveness = { state: ready?.status === 'True' ? 'Ready' : 'NotReady', staleAfter: lastSeen + AGENT_LOST_MS };
  const bundles = /^(\d+)\/(\d+)$/.exec(status.display?.readyBundles ?? '');
  const notReadyBundles = bundles ? Number(bundles[2]) - Number(bundles[1]) : undefined;
  const ns = obj.metadata?.namespace;
  const conditions: Condition[] = (status.conditions ?? [])
    .filter((c) => c.type && (c.status === 'True' || c.status === 'False' || c.status === 'Unknown'))
    .map((c) => ({
      type: i(c.type!),
      status: c.status as Condition['status'],
      ...(c.reason && { reason: i(c.reason) }),
      ...(c.message && { message: c.message }),
      ...(c.lastTransitionTime &&
        !Number.isNaN(Date.parse(c.lastTransitionTime)) && { lastTransitionTime: i(new Date(c.lastTransitionTime).toISOString()) }),
    }));
  const cluster: Cluster = {
    name,
    tenant: metaLabels[labels.tenantLabel] ?? 'unassigned',
    environment: metaLabels[labels.environmentLabel] ?? 'unknown',
    labels: metaLabels,
    annotations,
    groups: fleetClusterGroups(ns, metaLabels, annotations, groups),
    state: stateAt(liveness, now.getTime()),
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
  return { cluster, liveness, ...(ns !== undefined && { namespace: ns }) };
}

/** A kept Fleet cluster as of `now` with the current ClusterGroups; the same object when nothing changed. */
export function rejudgeFleetCluster(kept: Kept, groups: readonly ClusterGroupObject[], now: Date): Cluster {
  const { cluster } = kept;
  const state = stateAt(kept.liveness, now.getTime());
  const next = fleetClusterGroups(kept.namespace, cluster.labels, cluster.annotations, groups);
  const sameGroups = next.length === cluster.groups.length && next.every((g, k) => g === cluster.groups[k]);
  if (state === cluster.state && sameGroups) return cluster;
  return { ...cluster, state, groups: sameGroups ? cluster.groups : next };
}
