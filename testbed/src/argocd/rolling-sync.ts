/**
 * The testbed Argo CD stand-in's progressive sync (ApplicationSet `strategy.type:
 * RollingSync`): which of a set's Applications to sync next, step by step, and the
 * `status.applicationStatus[]` to write. PLACEHOLDER: being built (issue 15).
 */
export interface RollingSyncApp {
  name: string;
  labels: Record<string, string>;
  sync: 'Synced' | 'OutOfSync' | 'Unknown';
  health: string;
  /** An `operation` is set or running. */
  syncing: boolean;
}

export interface RollingSyncPlan {
  /** Applications the stand-in should sync now (as the controller would). */
  toSync: string[];
  /** The ApplicationSet's new `status.applicationStatus[]`. */
  applicationStatus: Record<string, unknown>[];
  /** The `RolloutProgressing` condition's message, e.g. "performing rollout of step 2". */
  message: string;
}

export function planRollingSync(_appSet: Record<string, unknown>, _apps: readonly RollingSyncApp[], _now: Date): RollingSyncPlan {
  return { toSync: [], applicationStatus: [], message: '' };
}
