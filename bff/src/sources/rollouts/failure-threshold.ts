import type { RolloutPolicy } from '@fleetdeck/shared';

/**
 * KubeFleet and Fleet have no failure threshold (the brief's `failureThreshold`): a run or
 * bundle states one with this annotation, e.g. `fleetdeck.dev/failure-threshold: "1"`
 * ("halt when 1 cluster fails"); Fleetdeck's failure guard acts on it.
 */
export const FAILURE_THRESHOLD_ANNOTATION = 'fleetdeck.dev/failure-threshold';

/** The policy with the annotation's threshold, when it states a positive whole number and the source gave none. */
export function withFailureThreshold(policy: RolloutPolicy, annotations: Readonly<Record<string, string>> | undefined): RolloutPolicy {
  const raw = annotations?.[FAILURE_THRESHOLD_ANNOTATION]?.trim();
  if (policy.failureThreshold !== undefined || !raw || !/^[1-9]\d{0,5}$/.test(raw)) return policy;
  return {
    ...policy,
    failureThreshold: Number(raw),
    sourceFields: { ...policy.sourceFields, failureThreshold: `metadata.annotations[${FAILURE_THRESHOLD_ANNOTATION}]` },
  };
}
