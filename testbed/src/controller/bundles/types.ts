import type { Condition, LooseCondition } from '../conditions.ts';
import type { LabelSelector } from '../selectors.ts';

/** The Rancher Fleet objects the bundle stand-in reads and writes, as far as it uses them. */
export interface Meta {
  name: string;
  namespace?: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface Partition {
  name?: string;
  maxUnavailable?: number | string;
  clusterName?: string;
  clusterSelector?: LabelSelector;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector;
}
export type Target = Omit<Partition, 'maxUnavailable'>;
export interface RolloutStrategy {
  maxUnavailable?: number | string;
  maxUnavailablePartitions?: number | string;
  autoPartitionSize?: number | string;
  autoPartitionThreshold?: number | string;
  partitions?: Partition[];
}
export interface Summary {
  ready: number;
  desiredReady: number;
  waitApplied: number;
  errApplied: number;
  outOfSync: number;
  modified: number;
  notReady: number;
  pending: number;
  nonReadyResources?: { name: string; bundleState: string; message?: string; nonReadyStatus?: unknown[] }[];
}
export interface BundleStatus {
  summary: Summary;
  partitions: { name: string; count: number; maxUnavailable: number; unavailable: number; summary: Summary }[];
  display: { readyClusters: string; state: string };
  maxUnavailable: number;
  maxUnavailablePartitions: number;
  unavailable: number;
  unavailablePartitions: number;
  observedGeneration?: number;
  conditions: Condition[];
}
export interface Bundle {
  metadata: Meta & { namespace: string };
  spec: { paused?: boolean; rolloutStrategy?: RolloutStrategy; targets?: Target[]; [k: string]: unknown };
  status?: Partial<BundleStatus>;
}
export interface BundleDeploymentStatus {
  appliedDeploymentID?: string;
  ready?: boolean;
  nonModified?: boolean;
  nonReadyStatus?: unknown[];
  display?: { state?: string; message?: string };
  conditions?: LooseCondition[];
}
export interface BundleDeployment {
  apiVersion?: string;
  kind?: string;
  metadata: Meta & { namespace: string };
  spec: { stagedDeploymentID?: string; deploymentID?: string; paused?: boolean };
  status?: BundleDeploymentStatus;
}
export interface FleetClusterRef {
  name: string;
  /** The namespace the Cluster object is in (the bundle's). */
  namespace: string;
  /** Where its BundleDeployments live (Cluster.status.namespace). */
  deploymentNamespace: string;
  labels: Record<string, string>;
  paused: boolean;
}
export interface ClusterGroupRef {
  name: string;
  namespace: string;
  selector?: LabelSelector;
}

export const LABEL_BUNDLE = 'fleet.cattle.io/bundle-name';
export const LABEL_BUNDLE_NS = 'fleet.cattle.io/bundle-namespace';
export const LABEL_CLUSTER = 'fleet.cattle.io/cluster';
export const LABEL_CLUSTER_NS = 'fleet.cattle.io/cluster-namespace';
export const LABEL_COMMIT = 'fleet.cattle.io/commit';
export const LABEL_REPO = 'fleet.cattle.io/repo-name';
/** Testbed only: clusters (comma-separated) whose deployment of this bundle fails. */
export const FAIL_ANNOTATION = 'fleetdeck.dev/testbed-fail-clusters';
