import type { BundleDeployment, FleetClusterRef, Summary } from './types.ts';

/** Fleet's per-deployment states, worst first (the rank Fleet uses for roll-ups). */
export const STATE_RANK = ['ErrApplied', 'WaitApplied', 'Modified', 'OutOfSync', 'Pending', 'NotReady', 'Ready'] as const;
export type DeploymentState = (typeof STATE_RANK)[number];

/** A BundleDeployment's state as Fleet derives it from spec and status. */
export function deploymentState(bd: BundleDeployment): DeploymentState {
  const { spec, status = {} } = bd;
  if (!spec.deploymentID) return 'Pending';
  if (status.display?.state === 'ErrApplied' && status.appliedDeploymentID === spec.deploymentID) return 'ErrApplied';
  if (status.appliedDeploymentID !== spec.deploymentID) return 'WaitApplied';
  if (!status.ready) return 'NotReady';
  if (spec.stagedDeploymentID && spec.stagedDeploymentID !== spec.deploymentID) return 'OutOfSync';
  if (status.nonModified === false) return 'Modified';
  return 'Ready';
}

/**
 * Fleet counts a deployment unavailable while it applies or is not ready. A deployment
 * never released is left out: Fleet creates BundleDeployments only when their partition is
 * reached and has none to count before that, where the stand-in creates them all up front.
 */
export const isUnavailable = (bd: BundleDeployment): boolean =>
  !!bd.spec.deploymentID && (bd.status?.appliedDeploymentID !== bd.spec.deploymentID || !bd.status?.ready);

export function worstState(states: readonly DeploymentState[]): DeploymentState | '' {
  for (const s of STATE_RANK) if (states.includes(s)) return s;
  return '';
}

const KEY: Record<DeploymentState, keyof Omit<Summary, 'desiredReady' | 'nonReadyResources'>> = {
  Ready: 'ready',
  WaitApplied: 'waitApplied',
  ErrApplied: 'errApplied',
  OutOfSync: 'outOfSync',
  Modified: 'modified',
  NotReady: 'notReady',
  Pending: 'pending',
};

/** One targeted cluster and its deployment, the unit Fleet summarizes. */
export interface ClusterDeployment {
  cluster: FleetClusterRef;
  bd: BundleDeployment;
}

export function summarize(entries: readonly ClusterDeployment[]): Summary {
  const s: Summary = {
    ready: 0,
    desiredReady: entries.length,
    waitApplied: 0,
    errApplied: 0,
    outOfSync: 0,
    modified: 0,
    notReady: 0,
    pending: 0,
  };
  const nonReady: NonNullable<Summary['nonReadyResources']> = [];
  for (const { cluster, bd } of entries) {
    const state = deploymentState(bd);
    s[KEY[state]]++;
    if (state !== 'Ready')
      nonReady.push({
        // Fleet names the cluster (its namespace/name), not the BundleDeployment.
        name: `${cluster.namespace}/${cluster.name}`,
        bundleState: state,
        ...(bd.status?.display?.message && { message: bd.status.display.message }),
        ...(bd.status?.nonReadyStatus?.length && { nonReadyStatus: bd.status.nonReadyStatus }),
      });
  }
  // Fleet cuts the list at 10.
  if (nonReady.length > 0) s.nonReadyResources = nonReady.slice(0, 10);
  return s;
}
