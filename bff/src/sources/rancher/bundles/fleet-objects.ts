import type { Condition } from '@fleetdeck/shared';

/**
 * The Rancher Fleet objects (fleet.cattle.io/v1alpha1) the bundle rollout mapping reads,
 * and what the watch cache keeps of each: the raw shapes list only the fields we read
 * (every one optional, unknown fields ignored); the views are what stays in memory.
 */

export const FLEET_API = 'fleet.cattle.io/v1alpha1';
/** Labels Fleet puts on BundleDeployments and Bundles. */
export const LABEL = {
  bundleName: 'fleet.cattle.io/bundle-name',
  bundleNamespace: 'fleet.cattle.io/bundle-namespace',
  cluster: 'fleet.cattle.io/cluster',
  clusterNamespace: 'fleet.cattle.io/cluster-namespace',
  commit: 'fleet.cattle.io/commit',
  repoName: 'fleet.cattle.io/repo-name',
} as const;
/** Fleetdeck's own annotations on a GitRepo. */
export const ANNOTATION = {
  /** Set by a roll back: the branch it cleared ("" when none was set), restored by unpin. */
  pinnedFromBranch: 'fleetdeck.dev/pinned-from-branch',
  /** The commit deployed before the current one, when something records it (a roll back target once every cluster moved on). */
  previousCommit: 'fleetdeck.dev/previous-commit',
} as const;

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}
/** Kubernetes IntOrString: a count, or "N%". */
export type IntOrPercent = number | string;

interface Meta {
  name?: string;
  resourceVersion?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}
export interface RawCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}
export interface RawPartition {
  name?: string;
  maxUnavailable?: unknown;
  clusterName?: string;
  clusterSelector?: LabelSelector | null;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector | null;
}
export interface BundleObject {
  metadata?: Meta;
  spec?: {
    [k: string]: unknown;
    paused?: boolean;
    rolloutStrategy?: {
      maxUnavailable?: unknown;
      maxUnavailablePartitions?: unknown;
      autoPartitionSize?: unknown;
      partitions?: RawPartition[] | null;
    } | null;
  };
  status?: {
    partitions?: {
      name?: string;
      count?: number;
      maxUnavailable?: number;
      unavailable?: number;
      summary?: { nonReadyResources?: { name?: string }[] | null };
    }[];
    unavailable?: number;
    maxUnavailable?: number;
    maxUnavailablePartitions?: number;
    conditions?: RawCondition[];
  };
}
export interface BundleDeploymentObject {
  metadata?: Meta;
  spec?: { paused?: boolean; stagedDeploymentID?: string; deploymentID?: string };
  status?: {
    appliedDeploymentID?: string;
    ready?: boolean;
    nonReadyStatus?: { kind?: string; namespace?: string; name?: string; summary?: { error?: boolean; message?: string[] } }[] | null;
    display?: { state?: string; message?: string };
    conditions?: RawCondition[];
  };
}
export interface GitRepoObject {
  metadata?: Meta;
  spec?: { branch?: string; revision?: string; paused?: boolean };
  status?: { commit?: string };
}
export interface FleetClusterObject {
  metadata?: Meta;
  spec?: { paused?: boolean };
  status?: { namespace?: string };
}
export interface ClusterGroupObject {
  metadata?: Meta;
  spec?: { selector?: LabelSelector | null };
}

export interface PartitionView {
  name?: string;
  maxUnavailable?: IntOrPercent;
  clusterName?: string;
  clusterSelector?: LabelSelector;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector;
}
export interface PartitionStatusView {
  name?: string;
  count?: number;
  maxUnavailable?: number;
  unavailable?: number;
  /** "<cluster namespace>/<cluster name>" of its non-ready clusters, as Fleet lists them (at most 10). */
  nonReadyClusters: string[];
}
export interface BundleView {
  name: string;
  namespace: string;
  uid?: string;
  createdAt?: string;
  repoName?: string;
  commit?: string;
  paused: boolean;
  /** Fleetdeck's own annotations (`fleetdeck.dev/*`) as read: gated waves, soak, approvals of a bundle without a GitRepo. */
  fleetdeck: Record<string, string>;
  /** Without a commit label: a digest of what Fleet deploys (spec without paused and rolloutStrategy), so approvals follow content. */
  contentDigest?: string;
  strategy: { maxUnavailable?: IntOrPercent; maxUnavailablePartitions?: IntOrPercent; partitions: PartitionView[] };
  status: { partitions: PartitionStatusView[]; maxUnavailablePartitions?: number; unavailable?: number; maxUnavailable?: number };
  conditions: Condition[];
}
export interface BundleDeploymentView {
  name: string;
  namespace: string;
  /** `<namespace>/<name>` of its Bundle. */
  bundleKey: string;
  cluster?: string;
  clusterNamespace?: string;
  commit?: string;
  paused: boolean;
  stagedDeploymentID?: string;
  deploymentID?: string;
  appliedDeploymentID?: string;
  ready: boolean;
  /** Since when it has been applied and ready: the later of its Deployed and Ready conditions' transitions (both True). */
  healthySince?: string;
  /** ErrApplied, or a non-ready resource reported with an error. */
  error: boolean;
  message?: string;
}
export interface GitRepoView {
  name: string;
  namespace: string;
  branch?: string;
  revision?: string;
  commit?: string;
  /** Present (possibly "") when a roll back through Fleetdeck pinned it. */
  pinnedFromBranch?: string;
  previousCommit?: string;
  /** Fleetdeck's annotations on it (`fleetdeck.dev/*`): where gated-wave approvals are recorded. */
  fleetdeck: Record<string, string>;
}
export interface FleetClusterView {
  name: string;
  namespace: string;
  /** The namespace its BundleDeployments live in. */
  statusNamespace?: string;
  labels: Record<string, string>;
  paused: boolean;
  /** `fleetdeck.dev/held-by`: the bundles Fleetdeck paused it for (absent: Fleetdeck did not pause it). */
  heldBy?: string;
}
export interface ClusterGroupView {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  selector?: LabelSelector;
}
