/**
 * The Fleet controller's release pass over one bundle's partitions (Fleet's
 * `UpdatePartitions` / `updateDeploymentFromStaged`), restated for the stand-in. Pure: it
 * mutates only the deployments it is handed, which are the caller's working copies.
 */
import { isUnavailable } from './summary.ts';
import { LABEL_COMMIT, type BundleDeployment, type FleetClusterRef } from './types.ts';

export interface PartitionPlan {
  name: string;
  /** Already resolved against the partition's cluster count. */
  maxUnavailable: number;
  clusters: readonly FleetClusterRef[];
}
export interface ReleaseInput {
  deploymentID: string;
  commit: string;
  partitions: readonly PartitionPlan[];
  bundleLimit: number;
  partitionsLimit: number;
  deploymentOf: (c: FleetClusterRef) => BundleDeployment;
  paused: (c: FleetClusterRef) => boolean;
}
export interface ReleaseResult {
  /** Bundle-wide, counted before the pass plus each healthy deployment it released (Fleet's status.unavailable). */
  unavailable: number;
  unavailablePartitions: number;
  /** Per partition, what Fleet writes to status.partitions[].unavailable (see below). */
  partitionUnavailable: number[];
}

/**
 * Fleet's own isUnavailable: a deployment with no ready status counts, even one never
 * released. Fleet creates a BundleDeployment only when its partition is reached, so a fresh
 * one is released at once whatever the limits; the stand-in's never-released ones stand for it.
 */
const notServing = (bd: BundleDeployment) => bd.status?.appliedDeploymentID !== bd.spec.deploymentID || !bd.status?.ready;

const upToDate = (bd: BundleDeployment, id: string) =>
  bd.spec.stagedDeploymentID === id && bd.spec.deploymentID === id && bd.status?.appliedDeploymentID === id;

export function releasePartitions(input: ReleaseInput): ReleaseResult {
  const { deploymentID, partitions, deploymentOf: bd } = input;
  const countUnavailable = (cs: readonly FleetClusterRef[]) => cs.filter((c) => isUnavailable(bd(c))).length;
  let unavailable = countUnavailable(partitions.flatMap((p) => p.clusters));
  // Fleet publishes each partition's count as taken before this pass: its loop updates a
  // copy of the partition (Go range value), so neither releases nor the stricter count
  // below reach status.partitions[].unavailable.
  const partitionUnavailable = partitions.map((p) => countUnavailable(p.clusters));
  let unavailablePartitions = 0;
  for (const [i, p] of partitions.entries()) {
    let inPartition = partitionUnavailable[i]!;
    for (const c of p.clusters) {
      const d = bd(c);
      if (input.paused(c) || d.spec.deploymentID === deploymentID) continue;
      const down = notServing(d);
      // Both limits, the bundle's and the partition's; one already down may always move on.
      if (!down && (unavailable >= input.bundleLimit || inPartition >= p.maxUnavailable)) continue;
      if (!down) {
        unavailable++;
        inPartition++;
      }
      d.spec.deploymentID = deploymentID;
      d.metadata.labels = { ...d.metadata.labels, [LABEL_COMMIT]: input.commit };
    }
    // Stricter for a partition: a cluster also counts until it runs the current version.
    const behind = p.clusters.filter((c) => !upToDate(bd(c), deploymentID) || isUnavailable(bd(c))).length;
    if (behind > p.maxUnavailable) unavailablePartitions++;
    if (unavailablePartitions > input.partitionsLimit) break;
  }
  return { unavailable, unavailablePartitions, partitionUnavailable };
}
