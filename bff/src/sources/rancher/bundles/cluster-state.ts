import type { ClusterRolloutStatus } from '@fleetdeck/shared';

import type { BundleDeploymentView } from './fleet-objects.ts';

/** The deployment runs the version Fleet staged for it: staged, current and applied ids agree. */
export function upToDate(bd: BundleDeploymentView): boolean {
  return !!bd.stagedDeploymentID && bd.stagedDeploymentID === bd.deploymentID && bd.deploymentID === bd.appliedDeploymentID;
}

/** Fleet's "unavailable" for a deployment: the current id is not applied yet, or it is not ready. */
export function unavailable(bd: BundleDeploymentView): boolean {
  return bd.appliedDeploymentID !== bd.deploymentID || !bd.ready;
}

/**
 * One cluster's state in its partition, from its BundleDeployment:
 * Failed — ErrApplied, or a non-ready resource with an error (first: a failure is news even while a newer version waits);
 * Held — a version is staged but its partition (or a pause) keeps it back (stagedDeploymentID ≠ deploymentID);
 * Updating — the current id is not applied yet, or applied and not ready without an error;
 * Succeeded — applied and ready; Pending — Fleet has staged nothing for it yet.
 */
export function clusterRolloutStatus(
  cluster: string,
  bd: BundleDeploymentView,
  paused: { bundle: boolean; cluster: boolean },
): ClusterRolloutStatus {
  const withMessage = (state: ClusterRolloutStatus['state'], message = bd.message): ClusterRolloutStatus => ({
    cluster,
    state,
    ...(message && { message }),
  });
  if (bd.error) return withMessage('Failed');
  if (!bd.stagedDeploymentID && !bd.deploymentID) return withMessage('Pending');
  if (bd.stagedDeploymentID && bd.stagedDeploymentID !== bd.deploymentID) {
    const why = paused.bundle
      ? 'held: the bundle is paused'
      : paused.cluster
        ? 'held: the cluster is paused in Fleet'
        : bd.paused
          ? 'held: its BundleDeployment is paused'
          : 'held back by its partition';
    return withMessage('Held', why);
  }
  if (bd.deploymentID !== bd.appliedDeploymentID) return withMessage('Updating');
  if (!bd.ready) return withMessage('Updating');
  return { cluster, state: 'Succeeded' };
}
