import { deliveryId, type DeliveryResource, type DeliveryTarget, type FleetCustomization } from '@fleetdeck/shared';

import { fleetStatus, gitUpdating, repoProblem, worstFleetState } from '../../../domain/delivery-state.ts';
import { placeFleet, type PlacementCluster, type PlacementGroup } from '../../../domain/fleet-targets.ts';
import { FLEET_API, type ClusterGroupView, type FleetClusterView } from '../../rancher/bundles/fleet-objects.ts';
import type { SourceDelivery } from '../delivery-source.ts';
import type { BundleDeploymentView, BundleView, GitRepoView } from './delivery-objects.ts';
import { MAX_RESOURCES } from './reduce-delivery.ts';

/** The commit a BundleDeployment last had applied, and since when (see applied-commits.ts). */
export interface AppliedCommit {
  commit: string;
  at: string;
}

export interface DeliveryInput {
  repo: GitRepoView;
  /** The GitRepo's Bundles (label fleet.cattle.io/repo-name). */
  bundles: readonly BundleView[];
  /** The BundleDeployments of those Bundles. */
  deployments: readonly BundleDeploymentView[];
  clusters: readonly FleetClusterView[];
  groups: readonly ClusterGroupView[];
  appliedOf: (bd: BundleDeploymentView) => AppliedCommit | undefined;
}

const bundleKey = (b: BundleView) => `${b.namespace}/${b.name}`;

/** Customization names say which bundle (path) they come from when the GitRepo has several. */
function customizationName(repo: GitRepoView, bundle: BundleView, name: string, several: boolean): string {
  if (!several) return name;
  const path = bundle.name.startsWith(`${repo.name}-`) ? bundle.name.slice(repo.name.length + 1) : bundle.name;
  return `${path}: ${name}`;
}

/** WHAT × WHERE over the Fleet Clusters and ClusterGroups of the GitRepo's namespace (where Fleet matches them). */
function placement(input: DeliveryInput) {
  const { repo } = input;
  const groups: PlacementGroup[] = input.groups
    .filter((g) => g.namespace === repo.namespace)
    .map((g) => ({ name: g.name, labels: g.labels, ...(g.selector && { selector: g.selector }) }));
  const clusters: PlacementCluster[] = input.clusters
    .filter((c) => c.namespace === repo.namespace)
    .map((c) => ({ name: c.name, labels: c.labels }));
  const withCustomizations = input.bundles.filter((b) => b.customizations.length > 0);
  const several = withCustomizations.length > 1;
  const base = placeFleet(repo.targets, [], clusters, groups);
  const customizations: FleetCustomization[] = [];
  const byCluster = new Map<string, { names: string[]; options: string[] }>();
  for (const b of withCustomizations) {
    const named = b.customizations.map((k) => ({ ...k, name: customizationName(repo, b, k.name, several) }));
    const placed = placeFleet(repo.targets, named, clusters, groups);
    customizations.push(...placed.customizations);
    for (const [cluster, applied] of placed.byCluster) {
      if (!applied.customization) continue;
      const entry = byCluster.get(cluster) ?? { names: [], options: [] };
      entry.names.push(applied.customization);
      entry.options.push(...applied.options);
      byCluster.set(cluster, entry);
    }
  }
  return { targets: base.targets, customizations, byCluster };
}

/** The applied commit of a cluster's deployments: the one they agree on, else the laggard's (the oldest). */
function appliedOnCluster(entries: readonly AppliedCommit[]): { commit?: string; at?: string } {
  if (entries.length === 0) return {};
  const oldest = [...entries].sort((a, b) => a.at.localeCompare(b.at))[0]!;
  const latest = entries.reduce((m, e) => (e.at > m ? e.at : m), entries[0]!.at);
  return { commit: oldest.commit, at: latest };
}

interface Indexes {
  bundlesByKey: Map<string, BundleView>;
  /** Fleet Clusters by `namespace/name`. */
  clusters: Map<string, FleetClusterView>;
}

function target(
  input: DeliveryInput,
  idx: Indexes,
  cluster: string,
  bds: readonly BundleDeploymentView[],
  customized: { names: string[]; options: string[] } | undefined,
): DeliveryTarget {
  const { repo } = input;
  const { bundlesByKey } = idx;
  const fleetCluster = idx.clusters.get(`${bds[0]?.clusterNamespace ?? repo.namespace}/${cluster}`);
  const paused =
    repo.paused || fleetCluster?.paused === true || bds.some((bd) => bd.paused || bundlesByKey.get(bd.bundleKey)?.paused === true);
  const state = worstFleetState(bds.map((bd) => bd.state)) ?? 'Pending';
  const applied = appliedOnCluster(bds.flatMap((bd) => input.appliedOf(bd) ?? []));
  const all: DeliveryResource[] = bds.flatMap((bd) => bd.resources);
  const cut = all.length - Math.min(all.length, MAX_RESOURCES) + bds.reduce((n, bd) => n + bd.resourcesCut, 0);
  const message = bds.find((bd) => bd.state !== 'Ready' && bd.message)?.message;
  return {
    cluster,
    status: fleetStatus(state, paused),
    fleetState: state,
    ...(applied.commit && { appliedCommit: applied.commit }),
    ...(applied.at && { lastSyncAt: applied.at }),
    paused,
    ...(message && { message }),
    resources: all.slice(0, MAX_RESOURCES),
    ...(cut > 0 && { resourcesCut: cut }),
    bundles: bds.length,
    ...(customized && { customization: [...new Set(customized.names)].join(', '), options: [...new Set(customized.options)] }),
  };
}

/** One GitRepo as a delivery: every cluster with a BundleDeployment of its bundles, each with its worst state. */
export function mapFleetDelivery(input: DeliveryInput): SourceDelivery {
  const { repo } = input;
  const place = placement(input);
  const byCluster = new Map<string, BundleDeploymentView[]>();
  for (const bd of input.deployments) {
    const list = byCluster.get(bd.cluster);
    if (list) list.push(bd);
    else byCluster.set(bd.cluster, [bd]);
  }
  const idx: Indexes = {
    bundlesByKey: new Map(input.bundles.map((b) => [bundleKey(b), b])),
    clusters: new Map(input.clusters.map((c) => [`${c.namespace}/${c.name}`, c])),
  };
  const targets = [...byCluster.keys()].sort().map((c) => target(input, idx, c, byCluster.get(c)!, place.byCluster.get(c)));
  const repoStatus = repo.gitJob === 'Failed' ? repoProblem('Git job failed') : repo.gitJob !== 'Current' ? gitUpdating() : undefined;
  return {
    id: deliveryId('fleet', repo.namespace, repo.name),
    engine: 'fleet',
    name: repo.name,
    namespace: repo.namespace,
    labels: repo.labels,
    repo: repo.repo,
    ...(repo.branch && { branch: repo.branch }),
    ...(repo.revision && { revision: repo.revision }),
    paths: repo.paths,
    ...(repo.commit && { renderedCommit: repo.commit }),
    paused: repo.paused,
    fleet: {
      gitJob: repo.gitJob,
      ...(repo.gitJobMessage && { gitJobMessage: repo.gitJobMessage }),
      forceSyncGeneration: repo.forceSyncGeneration,
      bundles: input.bundles.length,
      ...(repo.pollingInterval && { pollingInterval: repo.pollingInterval }),
      correctDrift: repo.correctDrift,
    },
    targets,
    ...(repoStatus && { repoStatus }),
    placement: { targets: place.targets, customizations: place.customizations },
    object: { apiVersion: FLEET_API, kind: 'GitRepo', name: repo.name, namespace: repo.namespace, ...(repo.uid && { uid: repo.uid }) },
    annotations: repo.fleetdeck,
  };
}
