import { STEP_UP_PROBLEM_TYPE, apiPaths, apiUrl, type ApproveBody, type ReadinessSnapshot, type WaveReadiness } from '@fleetdeck/shared';

import { ApiError } from '../../api/client.ts';

// The ReadinessSnapshot schema's bounds: what is stored with a decision is bounded.
const MAX_REASONS = 20;
const MAX_REASON_CHARS = 500;

/** Approving a wave whose readiness was not shown as Ready needs a typed reason (Unknown included: nobody vouched for it). */
export function reasonRequired(readiness: Pick<WaveReadiness, 'verdict'> | undefined): boolean {
  return readiness !== undefined && readiness.verdict !== 'Ready';
}

/** What the approver was shown, as stored with their decision. */
export function snapshotOf(readiness: WaveReadiness): ReadinessSnapshot {
  return {
    verdict: readiness.verdict,
    reasons: readiness.reasons.slice(0, MAX_REASONS).map((r) => r.slice(0, MAX_REASON_CHARS)),
    evaluatedAt: readiness.evaluatedAt,
    digest: readiness.digest,
  };
}

export interface ApproveDraft {
  comment: string;
  notReadyReason: string;
}

/**
 * The approval's body from the form and the readiness on screen, or why it cannot be sent
 * yet. The readiness shown goes with every approval (so the audit says what was seen); the
 * reason only when the wave was not shown as Ready.
 */
export function approveBody(
  draft: ApproveDraft,
  readiness: WaveReadiness | undefined,
  /** The BFF answered that a reason is needed (it judged the wave itself, e.g. before the readiness loaded here). */
  bffAskedForReason = false,
): { body: ApproveBody } | { missing: string } {
  const comment = draft.comment.trim();
  const reason = draft.notReadyReason.trim();
  const needsReason = bffAskedForReason || reasonRequired(readiness);
  if (needsReason && !reason) return { missing: 'Type why you approve this wave although it is not ready.' };
  return {
    body: {
      ...(comment && { comment }),
      ...(needsReason && { notReadyReason: reason }),
      ...(readiness && { readiness: snapshotOf(readiness) }),
    },
  };
}

/** The BFF wants a multi-factor sign-in before it accepts this approval. */
export function isStepUpRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.problem?.type === STEP_UP_PROBLEM_TYPE;
}

/** The BFF's sign-in, asking the provider for multi-factor authentication, then back to `returnTo` (an app path). */
export function stepUpLoginUrl(returnTo: string): string {
  return apiUrl(apiPaths.login, {}, { stepUp: 'mfa', returnTo });
}
