import type { DeliveryResource, FleetBundleState, GitJobStatus } from '@fleetdeck/shared';

import type { FleetCustomizationSpec, FleetTargetSpec } from '../../../domain/fleet-targets.ts';
import type { LabelSelector, RawCondition } from '../../rancher/bundles/fleet-objects.ts';

/**
 * The Rancher Fleet objects (fleet.cattle.io/v1alpha1) the delivery mapping reads, and what
 * the watch cache keeps of each. Raw shapes list only the fields read (all optional,
 * unknown fields ignored); views are what stays in memory. Fleet Clusters and
 * ClusterGroups reuse the bundle rollout source's views (rancher/bundles/fleet-objects.ts).
 */

interface Meta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A `targets[]` entry as Fleet writes it (GitRepo targets, Bundle targets and restrictions), options included. */
export interface RawTarget {
  [option: string]: unknown;
  name?: string;
  clusterName?: string;
  clusterSelector?: LabelSelector | null;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector | null;
  doNotDeploy?: boolean;
}

export interface GitRepoObject {
  metadata?: Meta;
  spec?: {
    repo?: string;
    branch?: string;
    revision?: string;
    paths?: string[] | null;
    paused?: boolean;
    forceSyncGeneration?: number;
    pollingInterval?: string;
    correctDrift?: { enabled?: boolean } | null;
    targets?: RawTarget[] | null;
  };
  status?: {
    commit?: string;
    gitJobStatus?: string;
    display?: { message?: string; error?: boolean };
    conditions?: RawCondition[];
  };
}

export interface BundleObject {
  metadata?: Meta;
  spec?: { paused?: boolean; targets?: RawTarget[] | null; targetRestrictions?: RawTarget[] | null };
}

export interface BundleDeploymentObject {
  metadata?: Meta;
  spec?: { paused?: boolean; deploymentID?: string; stagedDeploymentID?: string };
  status?: {
    appliedDeploymentID?: string;
    ready?: boolean;
    nonModified?: boolean;
    display?: { state?: string; message?: string };
    nonReadyStatus?:
      | { kind?: string; namespace?: string; name?: string; summary?: { state?: string; error?: boolean; message?: string[] | null } }[]
      | null;
    modifiedStatus?:
      { kind?: string; namespace?: string; name?: string; missing?: boolean; delete?: boolean; exist?: boolean; patch?: string }[] | null;
    conditions?: RawCondition[];
  };
}

export interface GitRepoView {
  name: string;
  namespace: string;
  uid?: string;
  labels: Record<string, string>;
  /** Fleetdeck's annotations (`fleetdeck.dev/*`). */
  fleetdeck: Record<string, string>;
  repo: string;
  branch?: string;
  revision?: string;
  paths: string[];
  paused: boolean;
  forceSyncGeneration: number;
  pollingInterval?: string;
  correctDrift: boolean;
  commit?: string;
  gitJob: GitJobStatus;
  gitJobMessage?: string;
  /** As written: empty means Fleet's default target (the "default" cluster group). */
  targets: FleetTargetSpec[];
}

export interface BundleView {
  name: string;
  namespace: string;
  /** `fleet.cattle.io/repo-name`. */
  repoName?: string;
  paused: boolean;
  /** fleet.yaml `targetCustomizations`: the leading Bundle targets beyond the GitRepo's (Fleet's own rule, see matcher.determineIsCustomization). */
  customizations: FleetCustomizationSpec[];
}

export interface BundleDeploymentView {
  name: string;
  namespace: string;
  /** `<namespace>/<name>` of its Bundle. */
  bundleKey: string;
  cluster: string;
  clusterNamespace?: string;
  /** `fleet.cattle.io/commit`: the commit of the version it is asked to deploy. */
  commit?: string;
  /** That version is the one applied (`status.appliedDeploymentID == spec.deploymentID`). */
  applied: boolean;
  state: FleetBundleState;
  paused: boolean;
  message?: string;
  /** When Fleet last said it deployed (the Deployed, else Ready, condition's True transition). */
  deployedAt?: string;
  resources: DeliveryResource[];
  /** Resources beyond those kept. */
  resourcesCut: number;
}
