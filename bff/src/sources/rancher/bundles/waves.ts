import type { ClusterRolloutStatus, Wave } from '@fleetdeck/shared';

import { unavailable, upToDate } from './cluster-state.ts';
import type { BundleDeploymentView, BundleView, ClusterGroupView, FleetClusterView, PartitionStatusView } from './fleet-objects.ts';
import { fleetLimit, groupsOf, partitionSelects } from './partition-match.ts';

/** One cluster of the bundle: its deployment, its Fleet Cluster when known, and its mapped status. */
export interface ClusterEntry {
  cluster: string;
  /** `<Fleet Cluster namespace>/<name>`, how Fleet names clusters in partition summaries. */
  fleetKey?: string;
  fleetCluster?: FleetClusterView;
  bd: BundleDeploymentView;
  status: ClusterRolloutStatus;
}

export interface Partition {
  name: string;
  members: ClusterEntry[];
  /** Fleet's own figures for it, when its status lists it. */
  status?: PartitionStatusView;
  /** The limit as configured (partition, else bundle, else Fleet's default 100%). */
  configured: (number | string | undefined)[];
  note?: string;
}

const UNPARTITIONED = 'unpartitioned';

/**
 * Which clusters belong to which partition. Fleet's status names only non-ready
 * clusters of a partition (and at most 10), so those are taken from it; the rest are
 * judged by the partition's clusterName / clusterSelector / clusterGroup /
 * clusterGroupSelector against the Fleet Cluster's labels and ClusterGroups. A
 * cluster several partitions select is updated when the first one is reached, so the
 * first match wins. Clusters no partition selects get a wave of their own.
 */
export function partitionsOf(bundle: BundleView, entries: readonly ClusterEntry[], groups: readonly ClusterGroupView[]): Partition[] {
  const specs = bundle.strategy.partitions;
  const statuses = bundle.status.partitions;
  if (specs.length === 0) {
    const auto = statuses.length > 1 ? `; Fleet reports ${statuses.length} automatic partitions` : '';
    return [
      {
        name: 'all',
        members: [...entries],
        ...(statuses.length === 1 && { status: statuses[0] }),
        configured: [bundle.strategy.maxUnavailable],
        note: `No partitions are defined: Fleet partitions the clusters itself (one partition below 200 clusters, else autoPartitionSize each)${auto}.`,
      },
    ];
  }
  // Fleet writes one status entry per defined partition, in order; match by position only when that holds.
  const statusOf = (i: number) =>
    statuses.length === specs.length && (statuses[i]!.name ?? '') === (specs[i]!.name ?? '')
      ? statuses[i]
      : statuses.find((s) => s.name !== undefined && s.name === specs[i]!.name);
  const parts: Partition[] = specs.map((p, i) => {
    const status = statusOf(i);
    return {
      name: p.name ?? `partition-${i + 1}`,
      members: [],
      ...(status && { status }),
      configured: [p.maxUnavailable, bundle.strategy.maxUnavailable],
    };
  });
  const byStatus = new Map<string, number>();
  parts.forEach((p, i) => p.status?.nonReadyClusters.forEach((k) => byStatus.has(k) || byStatus.set(k, i)));
  const rest: ClusterEntry[] = [];
  for (const e of entries) {
    let i = e.fleetKey !== undefined ? byStatus.get(e.fleetKey) : undefined;
    if (i === undefined && e.fleetCluster) {
      const cg = groupsOf(e.fleetCluster, groups);
      const found = specs.findIndex((p) => partitionSelects(p, e.fleetCluster!, cg));
      if (found >= 0) i = found;
    }
    if (i === undefined) rest.push(e);
    else parts[i]!.members.push(e);
  }
  if (rest.length > 0) {
    parts.push({
      name: UNPARTITIONED,
      members: rest,
      configured: [bundle.strategy.maxUnavailable],
      note: 'These clusters match no partition of spec.rolloutStrategy.partitions (or their Fleet Cluster is not known).',
    });
  }
  return parts;
}

const progressOf = (members: readonly ClusterEntry[]) => ({
  total: members.length,
  succeeded: members.filter((m) => m.status.state === 'Succeeded').length,
  failed: members.filter((m) => m.status.state === 'Failed').length,
  updating: members.filter((m) => m.status.state === 'Updating').length,
});

/**
 * The partitions as waves, judged the way Fleet's controller walks them: in order,
 * a partition is unavailable while more of its clusters than its maxUnavailable are
 * not up to date or not ready; once more partitions are unavailable than
 * maxUnavailablePartitions allows, every later partition is held.
 */
export function wavesOf(bundle: BundleView, parts: readonly Partition[]): Wave[] {
  const defined = parts.filter((p) => p.name !== UNPARTITIONED || bundle.strategy.partitions.length === 0).length;
  const maxPartitions = bundle.status.maxUnavailablePartitions ?? fleetLimit(defined, [bundle.strategy.maxUnavailablePartitions], 0) ?? 0;
  let unavailablePartitions = 0;
  let holder: { index: number; text: string } | undefined;
  return parts.map((p, index): Wave => {
    const clusters = p.members.map((m) => m.status);
    const max = p.status?.maxUnavailable ?? fleetLimit(p.members.length, p.configured, '100%');
    const progress = progressOf(p.members);
    // Fleet gates partitions on clusters not up to date or not ready, but publishes in
    // status.partitions[].unavailable only the not-ready ones, counted before its pass: the
    // deployments say more, and a failed cluster is not ready whatever an older status says.
    const notReady = Math.max(
      p.members.filter((m) => !upToDate(m.bd) || unavailable(m.bd)).length,
      p.status?.unavailable ?? 0,
      progress.failed,
    );
    const over = max !== undefined && notReady > max;
    const heldBy = holder?.text;
    if (p.name !== UNPARTITIONED) {
      if (over) unavailablePartitions++;
      if (holder === undefined && unavailablePartitions > maxPartitions) {
        holder = { index, text: `partition ${p.name} has ${notReady} clusters not yet updated or not ready, over its limit of ${max}` };
      }
    }
    let state: Wave['state'];
    let message = p.note;
    if (progress.total > 0 && progress.succeeded === progress.total) state = 'Succeeded';
    else if (progress.total === 0) {
      state = 'Succeeded';
      message = message ?? 'No cluster is in this partition.';
    } else if (max !== undefined && progress.failed > max) {
      state = 'Failed';
      message = `over its unavailable limit (${notReady} > ${max}): ${progress.failed} failed`;
    } else if (heldBy) {
      state = 'Held';
      message = `${heldBy}: holds this one`;
    } else if (bundle.paused) {
      state = 'Stopped';
      message = 'The bundle is paused.';
    } else if (progress.updating + progress.failed + progress.succeeded === 0) state = 'NotStarted';
    else state = 'Progressing';
    if (state !== 'Failed' && holder?.index === index && index < parts.length - 1) {
      message = `over its unavailable limit (${notReady} > ${max}): holds the next partition`;
    }
    return {
      name: p.name,
      index,
      state,
      ...(max !== undefined && { maxUnavailable: max }),
      unavailable: notReady,
      gates: [],
      clusters,
      hiddenClusters: 0,
      progress,
      ...(message && { message }),
    };
  });
}
