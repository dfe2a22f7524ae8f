import type { SourceRollout } from '../sources/rollouts/rollout-source.ts';

/** Fleetdeck's annotations on a run or bundle that the failure threshold reads and writes. */
export const FAILURE_ANNOTATIONS = {
  /** `pause` or `rollback`: what to do when the threshold is reached (default: config.promotion.failure.onFailure). */
  onFailure: 'fleetdeck.dev/on-failure',
  /** `<wave>@<revision>`: the failure this rule already acted on, written before acting so it happens once. */
  handled: 'fleetdeck.dev/failure-handled',
  /**
   * `acting@<time>` while the claimer pauses and rolls back, `done` after. A claim still
   * `acting` long after its time belongs to a replica that died mid-way: the leader resumes
   * it (every step is idempotent: pausing a paused run is a no-op, the roll back is keyed).
   */
  progress: 'fleetdeck.dev/failure-progress',
} as const;

/** The progress value of a claim being acted on since `at`. */
export const acting = (at: Date): string => `acting@${at.toISOString()}`;

/** When the claim's acting began, if it is still acting; undefined when done or absent. */
export function actingSince(progress: string | undefined): number | undefined {
  if (!progress?.startsWith('acting@')) return undefined;
  const t = Date.parse(progress.slice('acting@'.length));
  return Number.isNaN(t) ? undefined : t;
}

export interface FailurePolicy {
  enabled: boolean;
  onFailure: 'rollback' | 'pause';
}

/** When a claim still acting is taken to be abandoned (its replica died): older than `now - staleMs`. */
export interface ResumeClock {
  now: number;
  staleMs: number;
}

export type FailureDecision =
  | { act: false; why: string }
  | {
      act: true;
      wave: string;
      failed: number;
      total: number;
      threshold: number;
      /** The claim written on the object: one action per wave and revision, ever. */
      key: string;
      /** Start the roll back after pausing; false under `on-failure: pause` or when there is nothing to return to. */
      rollback: boolean;
      /** Why no roll back, when `rollback` is false. */
      note?: string;
      /** A claim abandoned mid-way (its replica died): take it over and finish the steps. */
      resume?: boolean;
    };

/** The key a failure of this wave at this revision is claimed under. */
export const failureKey = (wave: string, revision: string | undefined): string => `${wave}@${revision ?? ''}`;

/**
 * Whether the failure threshold acts on a rollout now. It counts every cluster of the
 * current wave, hidden or not (the BFF acts, not a person), against the rollout's
 * `policy.failureThreshold`; a rollout that finished, or that is stopped (by a person, or
 * by this rule already), is left alone, and so is a failure already claimed on the object.
 */
export function decideFailure(r: SourceRollout, policy: FailurePolicy, clock?: ResumeClock): FailureDecision {
  if (!policy.enabled) return { act: false, why: 'the failure threshold rule is off' };
  const threshold = r.policy.failureThreshold;
  if (threshold === undefined || threshold < 1) return { act: false, why: 'the rollout has no failure threshold' };
  // A KubeFleet run that failed has ended (Succeeded=False); a Fleet bundle never ends, and
  // "Failed" there is a partition over its limit holding the rest: exactly when to act.
  if (r.state === 'Succeeded' || (r.state === 'Failed' && r.source !== 'rancher-fleet'))
    return { act: false, why: 'the rollout has finished' };
  const wave = r.waves.find((w) => w.name === r.currentWave);
  if (!wave) return { act: false, why: 'no wave is in progress' };
  const failed = wave.clusters.filter((c) => c.state === 'Failed').length;
  if (failed < threshold) return { act: false, why: `${failed} of ${threshold} failures allowed before the rule acts` };
  const key = failureKey(wave.name, r.revision);
  let resume = false;
  if (r.annotations?.[FAILURE_ANNOTATIONS.handled] === key) {
    // Claimed: finished, being acted on, or abandoned by a replica that died between the steps.
    const since = actingSince(r.annotations[FAILURE_ANNOTATIONS.progress]);
    if (since === undefined || !clock || since > clock.now - clock.staleMs) return { act: false, why: 'this failure was already handled' };
    resume = true;
  } else if (r.state === 'Stopped') return { act: false, why: 'the rollout is stopped' };
  const said = r.annotations?.[FAILURE_ANNOTATIONS.onFailure];
  const onFailure = said === 'pause' || said === 'rollback' ? said : policy.onFailure;
  const base = { act: true as const, wave: wave.name, failed, total: wave.clusters.length, threshold, key, ...(resume && { resume }) };
  if (onFailure === 'pause') return { ...base, rollback: false, note: 'the rollout says on failure: pause; the roll back is offered' };
  if (!r.rollback) return { ...base, rollback: false, note: 'nothing earlier succeeded to roll back to' };
  return { ...base, rollback: true };
}
