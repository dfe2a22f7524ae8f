import type { RecordedApproval, RollbackPlan, Rollout, RolloutPolicy, Wave } from '@fleetdeck/shared';

import { withFailureThreshold } from '../../rollouts/failure-threshold.ts';
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
import { gateWaves, ungatedClaims, type Claim, type GatingResult } from './gated-waves.ts';
import {
  approvalRevision,
  approvalsKey,
  currentApprovals,
  GATED_ANNOTATION,
  gatingOf,
  parseApprovals,
  SOAK_ANNOTATION,
} from './gating-annotations.ts';
import { partitionsOf, wavesOf, type ClusterEntry } from './waves.ts';

/** Everything one bundle's rollout is computed from. */
export interface BundleInputs {
  bundle: BundleView;
  deployments: readonly BundleDeploymentView[];
  /** The GitRepo named by the bundle's `fleet.cattle.io/repo-name` label, in its namespace. */
  gitRepo?: GitRepoView | undefined;
  clusters: readonly FleetClusterView[];
  groups: readonly ClusterGroupView[];
  /** Gated waves: the other bundles (`<namespace>/<name>`) deployed on a Fleet Cluster (`<namespace>/<name>`). */
  bundlesOn?: (fleetKey: string) => readonly string[];
  now?: Date;
}

/** A bundle's rollout and, for the hold reconciler, what it asks of each Fleet Cluster. */
export interface MappedBundle {
  rollout: SourceRollout;
  claims: Map<string, Claim>;
  /** Gated bundles only. */
  gating?: Pick<GatingResult, 'soakReleased' | 'nextAt'>;
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
  return mapBundleGated(inputs).rollout;
}

/** Fleetdeck's annotations that change how a bundle is handled (passed on as SourceRollout.annotations). */
const STEERING = new Set([GATED_ANNOTATION, SOAK_ANNOTATION, 'fleetdeck.dev/on-failure', 'fleetdeck.dev/failure-handled']);

/** Approvals are recorded on the owning GitRepo, else on the bundle itself (see approvalsKey). */
function gatingFor(inputs: BundleInputs, parts: ReturnType<typeof partitionsOf>, ungated: Wave[]) {
  const { bundle } = inputs;
  const gating = gatingOf(bundle.fleetdeck);
  if (!gating.gated) return undefined;
  const where = inputs.gitRepo ? inputs.gitRepo.fleetdeck : bundle.fleetdeck;
  const record = currentApprovals(parseApprovals(where[approvalsKey(bundle.name)]), approvalRevision(bundle));
  const result = gateWaves({
    bundleKey: `${bundle.namespace}/${bundle.name}`,
    gating,
    record,
    ...(bundle.commit && { commit: bundle.commit }),
    waves: ungated,
    members: parts.map((p) => p.members),
    bundlesOn: inputs.bundlesOn ?? (() => []),
    now: inputs.now ?? new Date(),
  });
  return { gating, result };
}

/** The recorded approvals of this version, oldest first, as history read from the upstream object. */
function historyOf(recorded: Record<string, RecordedApproval[]> | undefined): Rollout['history'] {
  return Object.entries(recorded ?? {})
    .flatMap(([wave, list]) =>
      list.map((a) => ({
        at: a.at,
        actor: a.user,
        action: 'approve',
        wave,
        ...(a.comment && { comment: a.comment }),
        ...(a.notReadyReason && { notReadyReason: a.notReadyReason }),
        ...(a.readiness && { readiness: a.readiness }),
        from: 'upstream' as const,
      })),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
}

export function mapBundleGated(inputs: BundleInputs): MappedBundle {
  const { bundle } = inputs;
  const clusters = indexOf(inputs.clusters);
  const entries = inputs.deployments.map((bd) => entryOf(bd, clusters, bundle.paused)).sort((a, b) => a.cluster.localeCompare(b.cluster));
  const parts = partitionsOf(bundle, entries, inputs.groups);
  const gated = gatingFor(inputs, parts, wavesOf(bundle, parts));
  const waves = gated?.result.waves ?? wavesOf(bundle, parts);
  const revision = inputs.gitRepo?.commit ?? bundle.commit ?? mostCommon(entries.flatMap((e) => (e.bd.commit ? [e.bd.commit] : [])));
  const progress = {
    total: entries.length,
    succeeded: entries.filter((e) => e.status.state === 'Succeeded').length,
    failed: entries.filter((e) => e.status.state === 'Failed').length,
    updating: entries.filter((e) => e.status.state === 'Updating').length,
  };
  const pausedClusters = gated ? [] : [...new Set(entries.filter((e) => e.fleetCluster?.paused).map((e) => e.cluster))];
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
  else if (gated?.result.awaiting !== undefined) {
    state = 'AwaitingApproval';
    message = `Wave ${gated.result.awaiting} is held by Fleetdeck until it is approved${gated.gating.soakSeconds !== undefined ? ' or its soak time elapses' : ''}.`;
  } else {
    state = 'Progressing';
    if (clusterPause) message = clusterPause.trim();
  }
  const current =
    gated?.result.awaiting !== undefined ? waves.find((w) => w.name === gated.result.awaiting) : waves.find((w) => w.state !== 'Succeeded');
  const rollback = rollbackOf(inputs, entries, revision);
  const pinned = pinnedOf(inputs.gitRepo);
  const steering = Object.fromEntries(Object.entries(bundle.fleetdeck).filter(([k]) => STEERING.has(k)));
  const errors = gated?.gating.soakError ? [{ source: 'rancher-fleet', reason: gated.gating.soakError }] : [];
  const rollout: SourceRollout = {
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
    policy: withFailureThreshold(policyOf(bundle), bundle.fleetdeck),
    waves,
    conditions: bundle.conditions,
    ...(rollback && { rollback }),
    ...(pinned && { pinned }),
    history: historyOf(gated?.result.recordedApprovals),
    errors,
    ...(Object.keys(steering).length > 0 && { annotations: steering }),
    ...(gated && { recordedApprovals: gated.result.recordedApprovals }),
    ...(gated?.result.awaiting !== undefined && { awaitingApproval: { wave: gated.result.awaiting, position: 'before' as const } }),
    object: {
      apiVersion: FLEET_API,
      kind: 'Bundle',
      name: bundle.name,
      namespace: bundle.namespace,
      ...(bundle.uid && { uid: bundle.uid }),
    },
    touches: [...new Set(entries.map((e) => e.cluster))].sort(),
  };
  if (!gated) return { rollout, claims: ungatedClaims(entries) };
  const { soakReleased, nextAt } = gated.result;
  return { rollout, claims: gated.result.claims, gating: { soakReleased, ...(nextAt && { nextAt }) } };
}
