import type { RollbackPlan, Rollout, RolloutPolicy } from '@fleetdeck/shared';

import { rolloutId, type SourceRollout } from '../../rollouts/rollout-source.ts';
import { clusterRolloutStatus } from './cluster-state.ts';
import {
  FLEET_API,
  type BundleDeploymentView,
  type BundleView,
  type ClusterGroupView,
  type FleetClusterView,
  type GitRepoView,
} from './fleet-objects.ts';
import { partitionsOf, wavesOf, type ClusterEntry } from './waves.ts';

/** Everything one bundle's rollout is computed from. */
export interface BundleInputs {
  bundle: BundleView;
  deployments: readonly BundleDeploymentView[];
  /** The GitRepo named by the bundle's `fleet.cattle.io/repo-name` label, in its namespace. */
  gitRepo?: GitRepoView | undefined;
  clusters: readonly FleetClusterView[];
  groups: readonly ClusterGroupView[];
}

interface ClusterIndex {
  byName: Map<string, FleetClusterView[]>;
  byStatusNamespace: Map<string, FleetClusterView>;
}
// One index per clusters array: the source passes the same array for every bundle it recomputes in a burst.
const indexes = new WeakMap<readonly FleetClusterView[], ClusterIndex>();
function indexOf(clusters: readonly FleetClusterView[]): ClusterIndex {
  let ix = indexes.get(clusters);
  if (ix) return ix;
  ix = { byName: new Map(), byStatusNamespace: new Map() };
  for (const c of clusters) {
    ix.byName.set(c.name, [...(ix.byName.get(c.name) ?? []), c]);
    if (c.statusNamespace !== undefined) ix.byStatusNamespace.set(c.statusNamespace, c);
  }
  indexes.set(clusters, ix);
  return ix;
}

/**
 * The cluster a deployment is for, by the name the inventory uses (the Fleet Cluster's
 * name): its `fleet.cattle.io/cluster` label, else the Fleet Cluster whose status
 * namespace holds it, else — unknown to the inventory, so hidden from anyone scoped —
 * the namespace itself.
 */
function entryOf(bd: BundleDeploymentView, clusters: ClusterIndex, bundlePaused: boolean): ClusterEntry {
  const fc =
    (bd.cluster !== undefined &&
      clusters.byName.get(bd.cluster)?.find((c) => bd.clusterNamespace === undefined || c.namespace === bd.clusterNamespace)) ||
    clusters.byStatusNamespace.get(bd.namespace);
  const cluster = bd.cluster ?? fc?.name ?? bd.namespace;
  const ns = bd.clusterNamespace ?? fc?.namespace;
  return {
    cluster,
    ...(ns !== undefined && { fleetKey: `${ns}/${cluster}` }),
    ...(fc && { fleetCluster: fc }),
    bd,
    status: clusterRolloutStatus(cluster, bd, { bundle: bundlePaused, cluster: fc?.paused === true }),
  };
}

/** The most common value, ties to the first in order. */
function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best;
}

function policyOf(bundle: BundleView): RolloutPolicy {
  const { maxUnavailable, maxUnavailablePartitions } = bundle.strategy;
  return {
    maxUnavailable: maxUnavailable ?? '100%',
    maxUnavailablePartitions: maxUnavailablePartitions ?? 0,
    sourceFields: {
      maxUnavailable: `spec.rolloutStrategy.maxUnavailable${maxUnavailable === undefined ? ' (unset: Fleet default 100%)' : ''}`,
      maxUnavailablePartitions: `spec.rolloutStrategy.maxUnavailablePartitions${maxUnavailablePartitions === undefined ? ' (unset: Fleet default 0)' : ''}`,
    },
  };
}

/**
 * What rolling back means for a Fleet bundle: pin its GitRepo to the commit before.
 * The earlier commit is read from clusters still labelled with an older commit, else
 * from the annotation Fleetdeck keeps on the GitRepo. Without a GitRepo, or with no
 * earlier commit known, there is nothing to pin to and no plan; a pinned GitRepo is
 * undone with unpin, not with another roll back.
 */
function rollbackOf(inputs: BundleInputs, entries: readonly ClusterEntry[], revision: string | undefined): RollbackPlan | undefined {
  const repo = inputs.gitRepo;
  if (!repo || repo.pinnedFromBranch !== undefined) return undefined;
  const older = entries.flatMap((e) => (e.bd.commit && e.bd.commit !== revision ? [e.bd.commit] : []));
  const to = mostCommon(older) ?? (repo.previousCommit !== revision ? repo.previousCommit : undefined);
  if (!to) return undefined;
  const clears = repo.branch ? `clears branch ${repo.branch}; ` : '';
  return {
    toRevision: to,
    ...(revision && { fromRevision: revision }),
    clusters: [...new Set(entries.map((e) => e.cluster))].sort(),
    hiddenClusters: 0,
    note: `Pins GitRepo ${repo.name} to ${to} (${clears}new pushes are not deployed until you unpin)`,
  };
}

function pinnedOf(repo: GitRepoView | undefined): Rollout['pinned'] {
  if (!repo || repo.pinnedFromBranch === undefined || !repo.revision) return undefined;
  return { revision: repo.revision, ...(repo.pinnedFromBranch && { branch: repo.pinnedFromBranch }) };
}

/** A Fleet bundle, its BundleDeployments and GitRepo in the neutral model (unredacted, without per-person fields). */
export function mapBundle(inputs: BundleInputs): SourceRollout {
  const { bundle } = inputs;
  const clusters = indexOf(inputs.clusters);
  const entries = inputs.deployments.map((bd) => entryOf(bd, clusters, bundle.paused)).sort((a, b) => a.cluster.localeCompare(b.cluster));
  const waves = wavesOf(bundle, partitionsOf(bundle, entries, inputs.groups));
  const revision = inputs.gitRepo?.commit ?? bundle.commit ?? mostCommon(entries.flatMap((e) => (e.bd.commit ? [e.bd.commit] : [])));
  const progress = {
    total: entries.length,
    succeeded: entries.filter((e) => e.status.state === 'Succeeded').length,
    failed: entries.filter((e) => e.status.state === 'Failed').length,
    updating: entries.filter((e) => e.status.state === 'Updating').length,
  };
  const pausedClusters = [...new Set(entries.filter((e) => e.fleetCluster?.paused).map((e) => e.cluster))];
  const clusterPause = pausedClusters.length > 0 ? ` Fleet clusters paused (held too): ${pausedClusters.join(', ')}.` : '';
  const failed = waves.find((w) => w.state === 'Failed');
  let state: Rollout['state'];
  let message: string | undefined;
  if (bundle.paused) {
    state = 'Stopped';
    message = `Bundle paused: Fleet stages new versions but applies none until it is resumed.${clusterPause}`;
  } else if (failed) {
    state = 'Failed';
    message = `Partition ${failed.name} is over its unavailable limit (${failed.unavailable} > ${String(failed.maxUnavailable)}) and holds the rest.${clusterPause}`;
  } else if (entries.length === 0) {
    state = 'Initializing';
    message = 'Fleet has created no BundleDeployment for this bundle yet.';
  } else if (progress.succeeded === progress.total) state = 'Succeeded';
  else {
    state = 'Progressing';
    if (clusterPause) message = clusterPause.trim();
  }
  const current = waves.find((w) => w.state !== 'Succeeded');
  const rollback = rollbackOf(inputs, entries, revision);
  const pinned = pinnedOf(inputs.gitRepo);
  return {
    id: rolloutId('rancher-fleet', bundle.namespace, bundle.name),
    name: bundle.name,
    namespace: bundle.namespace,
    source: 'rancher-fleet',
    target: bundle.name,
    ...(revision && { revision }),
    state,
    ...(current && state !== 'Succeeded' && { currentWave: current.name }),
    progress,
    ...(bundle.createdAt && { createdAt: bundle.createdAt }),
    ...(message && { message }),
    policy: policyOf(bundle),
    waves,
    conditions: bundle.conditions,
    ...(rollback && { rollback }),
    ...(pinned && { pinned }),
    history: [],
    errors: [],
    object: {
      apiVersion: FLEET_API,
      kind: 'Bundle',
      name: bundle.name,
      namespace: bundle.namespace,
      ...(bundle.uid && { uid: bundle.uid }),
    },
    touches: [...new Set(entries.map((e) => e.cluster))].sort(),
  };
}
