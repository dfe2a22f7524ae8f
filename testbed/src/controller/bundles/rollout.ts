/**
 * The pure core of the testbed's **Rancher Fleet stand-in**: what Fleet's bundle
 * controller and its agents would write next for one Bundle's BundleDeployments, given
 * the objects and the time. It simulates external controllers for tests; it is not part
 * of Fleetdeck.
 */
import { createHash } from 'node:crypto';

import { setCondition } from '../conditions.ts';
import { matchesSelector, type LabelSelector } from '../selectors.ts';
import { fleetLimit } from './limit.ts';
import { releasePartitions, type PartitionPlan } from './release.ts';
import { deploymentState, summarize, worstState } from './summary.ts';
import {
  FAIL_ANNOTATION,
  LABEL_BUNDLE,
  LABEL_BUNDLE_NS,
  LABEL_CLUSTER,
  LABEL_CLUSTER_NS,
  LABEL_COMMIT,
  type Bundle,
  type BundleDeployment,
  type BundleStatus,
  type ClusterGroupRef,
  type FleetClusterRef,
  type Target,
} from './types.ts';

export interface BundleInput {
  bundle: Bundle;
  /** The owning GitRepo's status.commit, if the bundle comes from one. */
  commit?: string;
  /** The owning GitRepo is paused: commits are rendered, deployment is held. */
  repoPaused?: boolean;
  deployments: readonly BundleDeployment[];
  clusters: readonly FleetClusterRef[];
  groups: readonly ClusterGroupRef[];
  now: Date;
  secondsPerCluster: number;
  failClusters?: ReadonlySet<string>;
}
export interface DeploymentChange {
  next: BundleDeployment;
  create: boolean;
  specChanged: boolean;
  statusChanged: boolean;
}
export interface BundleResult {
  deploymentID: string;
  deployments: DeploymentChange[];
  status: BundleStatus;
}

/** `s-<commit>:<hash of the rendered spec>`; pausing or re-partitioning does not change it. */
export function deploymentIdOf(bundle: Bundle, commit: string | undefined): string {
  const { paused: _p, rolloutStrategy: _r, ...content } = bundle.spec;
  const hash = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 12);
  return `s-${commit ?? bundle.metadata.labels?.[LABEL_COMMIT] ?? 'none'}:${hash}`;
}
export const commitOf = (deploymentID: string): string => /^s-([^:]*):/.exec(deploymentID)?.[1] ?? '';

/** A nil selector matches nothing (Fleet); an empty one matches everything. */
const selects = (selector: LabelSelector | undefined, labels: Record<string, string>) => !!selector && matchesSelector(selector, labels);

export function inTarget(t: Target, c: FleetClusterRef, groups: readonly ClusterGroupRef[]): boolean {
  const inGroups = groups.filter((g) => g.namespace === c.namespace && selects(g.selector, c.labels));
  if (t.clusterName && t.clusterName !== c.name) return false;
  if (t.clusterSelector && !matchesSelector(t.clusterSelector, c.labels)) return false;
  if (t.clusterGroup && !inGroups.some((g) => g.name === t.clusterGroup)) return false;
  if (t.clusterGroupSelector && !inGroups.some((g) => matchesSelector(t.clusterGroupSelector, { name: g.name }))) return false;
  return !!(t.clusterName || t.clusterSelector || t.clusterGroup || t.clusterGroupSelector);
}

export function targetedClusters(
  bundle: Bundle,
  clusters: readonly FleetClusterRef[],
  groups: readonly ClusterGroupRef[],
): FleetClusterRef[] {
  return clusters
    .filter((c) => c.namespace === bundle.metadata.namespace && (bundle.spec.targets ?? []).some((t) => inTarget(t, c, groups)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Partitions in order, each cluster in the first that matches; clusters no partition names go last. */
export function partitionsOf(bundle: Bundle, targeted: readonly FleetClusterRef[], groups: readonly ClusterGroupRef[]): PartitionPlan[] {
  const rs = bundle.spec.rolloutStrategy ?? {};
  const defs = rs.partitions ?? [];
  const plan = (name: string, clusters: FleetClusterRef[], ...limits: (number | string | undefined)[]): PartitionPlan => ({
    name,
    maxUnavailable: fleetLimit(clusters.length, ...limits),
    clusters,
  });
  if (defs.length === 0) {
    const threshold = Number(rs.autoPartitionThreshold ?? 200);
    const disabled = (typeof rs.autoPartitionSize === 'number' && rs.autoPartitionSize <= 0) || threshold <= 0;
    const size = disabled || targeted.length < threshold ? targeted.length : fleetLimit(targeted.length, rs.autoPartitionSize, '25%');
    const out: PartitionPlan[] = [];
    for (let i = 0; i < targeted.length; i += Math.max(1, size))
      out.push(plan(`Partition ${out.length}`, targeted.slice(i, i + size), rs.maxUnavailable));
    return out;
  }
  const taken = new Set<string>();
  const out = defs.map((p, i) => {
    const clusters = targeted.filter((c) => !taken.has(c.name) && inTarget(p, c, groups));
    for (const c of clusters) taken.add(c.name);
    return plan(p.name ?? `Partition ${i}`, clusters, p.maxUnavailable, rs.maxUnavailable);
  });
  const rest = targeted.filter((c) => !taken.has(c.name));
  if (rest.length > 0) out.push(plan('unpartitioned', rest, rs.maxUnavailable));
  return out;
}

function newDeployment(bundle: Bundle, c: FleetClusterRef): BundleDeployment {
  return {
    apiVersion: 'fleet.cattle.io/v1alpha1',
    kind: 'BundleDeployment',
    metadata: {
      name: bundle.metadata.name,
      namespace: c.deploymentNamespace,
      labels: {
        [LABEL_BUNDLE]: bundle.metadata.name,
        [LABEL_BUNDLE_NS]: bundle.metadata.namespace,
        [LABEL_CLUSTER]: c.name,
        [LABEL_CLUSTER_NS]: c.namespace,
      },
    },
    spec: {},
  };
}

export function reconcileBundle(input: BundleInput): BundleResult {
  const { bundle } = input;
  const now = input.now.toISOString();
  const deploymentID = deploymentIdOf(bundle, input.commit);
  const failing = new Set([
    ...(input.failClusters ?? []),
    ...(bundle.metadata.annotations?.[FAIL_ANNOTATION] ?? '').split(',').map((s) => s.trim()),
  ]);
  const targeted = targetedClusters(bundle, input.clusters, input.groups);
  const existing = new Map(input.deployments.map((bd) => [bd.metadata.labels?.[LABEL_CLUSTER] ?? '', bd]));
  const changes = new Map<string, DeploymentChange>();
  for (const c of targeted) {
    const before = existing.get(c.name);
    const next = structuredClone(before ?? newDeployment(bundle, c));
    next.status ??= {};
    // Every deployment gets the new version staged, held or not.
    next.spec.stagedDeploymentID = deploymentID;
    changes.set(c.name, { next, create: !before, specChanged: false, statusChanged: false });
  }
  const paused = (c: FleetClusterRef) => !!(bundle.spec.paused || input.repoPaused || c.paused || changes.get(c.name)!.next.spec.paused);

  // The agents: a released version is applied after secondsPerCluster, unless paused.
  for (const c of targeted) {
    const { next } = changes.get(c.name)!;
    const status = next.status!;
    const conds = (status.conditions ??= []) as Parameters<typeof setCondition>[0];
    if (!next.spec.deploymentID || status.appliedDeploymentID === next.spec.deploymentID || paused(c)) continue;
    const deployed = conds.find((k) => k.type === 'Deployed');
    if (!deployed || deployed.status !== 'False' || deployed.reason !== 'Applying') {
      setCondition(conds, 'Deployed', 'False', 'Applying', now, undefined, `applying ${next.spec.deploymentID}`);
      status.display = { state: 'WaitApplied' };
      continue;
    }
    if (input.now.getTime() - Date.parse(deployed.lastTransitionTime) < input.secondsPerCluster * 1000) continue;
    status.appliedDeploymentID = next.spec.deploymentID;
    setCondition(conds, 'Deployed', 'True', 'Deployed', now);
    if (failing.has(c.name)) {
      const message = `deployment.apps ${bundle.metadata.name} is not ready: the testbed seeded this cluster to fail`;
      status.ready = false;
      status.nonReadyStatus = [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'default',
          name: bundle.metadata.name,
          summary: { state: 'error', error: true, message: [message] },
        },
      ];
      status.display = { state: 'ErrApplied', message };
      setCondition(conds, 'Ready', 'False', 'Error', now, undefined, message);
    } else {
      status.ready = true;
      status.nonModified = true;
      status.nonReadyStatus = [];
      status.display = { state: 'Ready' };
      setCondition(conds, 'Ready', 'True', 'Ready', now);
    }
  }

  // The controller: release the staged version partition by partition.
  const rs = bundle.spec.rolloutStrategy ?? {};
  const partitions = partitionsOf(bundle, targeted, input.groups);
  const bundleLimit = fleetLimit(targeted.length, rs.maxUnavailable);
  const partitionsLimit = fleetLimit(partitions.length, rs.maxUnavailablePartitions, 0);
  const next = (c: FleetClusterRef) => changes.get(c.name)!.next;
  const released = releasePartitions({
    deploymentID,
    commit: commitOf(deploymentID),
    partitions,
    bundleLimit,
    partitionsLimit,
    deploymentOf: next,
    paused,
  });

  for (const c of targeted) {
    const change = changes.get(c.name)!;
    const before = existing.get(c.name);
    change.specChanged =
      !!before &&
      (JSON.stringify(before.spec) !== JSON.stringify(change.next.spec) ||
        JSON.stringify(before.metadata.labels) !== JSON.stringify(change.next.metadata.labels));
    change.statusChanged = JSON.stringify(before?.status ?? {}) !== JSON.stringify(change.next.status);
  }
  const all = targeted.map(next);
  const entriesOf = (cs: readonly FleetClusterRef[]) => cs.map((cluster) => ({ cluster, bd: next(cluster) }));
  const summary = summarize(entriesOf(targeted));
  const conditions: BundleStatus['conditions'] = structuredClone(bundle.status?.conditions ?? []);
  const worst = worstState(all.map(deploymentState));
  setCondition(
    conditions,
    'Ready',
    worst === 'Ready' || worst === '' ? 'True' : 'False',
    worst === 'Ready' || worst === '' ? 'Ready' : worst,
    now,
  );
  const status: BundleStatus = {
    summary,
    partitions: partitions.map((p, i) => ({
      name: p.name,
      count: p.clusters.length,
      maxUnavailable: p.maxUnavailable,
      unavailable: released.partitionUnavailable[i]!,
      summary: summarize(entriesOf(p.clusters)),
    })),
    display: { readyClusters: `${summary.ready}/${summary.desiredReady}`, state: worst === 'Ready' ? '' : worst },
    maxUnavailable: bundleLimit,
    maxUnavailablePartitions: partitionsLimit,
    unavailable: released.unavailable,
    unavailablePartitions: released.unavailablePartitions,
    ...(bundle.metadata.generation !== undefined && { observedGeneration: bundle.metadata.generation }),
    conditions,
  };
  return { deploymentID, deployments: [...changes.values()], status };
}
