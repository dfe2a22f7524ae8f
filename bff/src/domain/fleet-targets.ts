import type { FleetCustomization, FleetTargetRule } from '@fleetdeck/shared';

/**
 * Fleet's WHAT × WHERE, pure: which clusters a GitRepo's `targets[]` allow (each entry is an
 * allow-list; a cluster gets a BundleDeployment only if it matches one), and which
 * `targetCustomizations` entry (fleet.yaml; first match wins, `doNotDeploy` skips) applies
 * to each allowed cluster. Customizations never add clusters. PLACEHOLDER: being built (issue 15).
 */

export interface FleetLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** A `targets[]` or `targetCustomizations[]` entry's cluster matching fields, as Fleet defines them. */
export interface FleetTargetSpec {
  name?: string;
  clusterName?: string;
  clusterSelector?: FleetLabelSelector;
  clusterGroup?: string;
  clusterGroupSelector?: FleetLabelSelector;
}

export interface FleetCustomizationSpec extends FleetTargetSpec {
  name: string;
  doNotDeploy?: boolean;
  /** What it sets, for people: "helm.values.replicas: 3", "yaml.overlays: production". */
  options: string[];
}

/** A cluster as target matching sees it: Fleet Cluster name and labels, and the ClusterGroups it belongs to. */
export interface PlacementCluster {
  name: string;
  labels: Readonly<Record<string, string>>;
}
export interface PlacementGroup {
  name: string;
  labels: Readonly<Record<string, string>>;
  selector?: FleetLabelSelector;
}

export interface FleetPlacementResult {
  targets: FleetTargetRule[];
  customizations: FleetCustomization[];
  /** Per allowed cluster (not skipped by doNotDeploy): the customization that applied and its options. */
  byCluster: Map<string, { customization?: string; options: string[] }>;
}

export function placeFleet(
  _targets: readonly FleetTargetSpec[],
  _customizations: readonly FleetCustomizationSpec[],
  _clusters: readonly PlacementCluster[],
  _groups: readonly PlacementGroup[],
): FleetPlacementResult {
  return { targets: [], customizations: [], byCluster: new Map() };
}
