import type { Principal, ReadinessSnapshot, WaveReadiness } from '@fleetdeck/shared';

import type { ApproverRule } from '../access/policy.ts';
import type { ApprovalDecision } from '../sources/rollouts/rollout-source.ts';
import { planApproval } from './approver-policy.ts';

/**
 * Whether approving needs a typed reason. Required when the verdict is NotReady, or when it
 * is Unknown because some upstream *failed* (the readiness answer carries errors: Prometheus
 * down, a query refused) — then nobody could check, and the approver must say why they go
 * ahead anyway. An Unknown with no errors means nothing could be measured at all (no
 * Prometheus configured, no samples yet for these clusters): asking for a reason there
 * would make every approver of such a fleet type one forever, for a state that never
 * changes, and reasons typed by rote are worth nothing in an audit.
 */
export function reasonRequired(readiness: Pick<WaveReadiness, 'verdict' | 'errors'>): boolean {
  if (readiness.verdict === 'NotReady') return true;
  return readiness.verdict === 'Unknown' && readiness.errors.length > 0;
}

/** What is stored with the decision (bounded like the model says). */
export function snapshotOf(r: Pick<WaveReadiness, 'verdict' | 'reasons' | 'evaluatedAt' | 'digest'>): ReadinessSnapshot {
  return {
    verdict: r.verdict,
    reasons: r.reasons.slice(0, 20).map((x) => x.slice(0, 500)),
    evaluatedAt: r.evaluatedAt,
    digest: r.digest.slice(0, 128),
  };
}

/** The 422 detail for a not-ready wave approved without a reason. */
export function reasonMissingDetail(wave: string, r: Pick<WaveReadiness, 'verdict' | 'reasons' | 'errors'>): string {
  const why =
    r.reasons.length > 0
      ? r.reasons.slice(0, 3).join('; ')
      : r.verdict === 'Unknown'
        ? 'its readiness could not be checked: an upstream did not answer'
        : 'see its readiness';
  return `wave ${wave} is not ready (${why}): give a reason to approve anyway`;
}

/** The approval as the source carries it out: the policy decides on each read of the recorded approvals. */
export function approvalDecision(
  rule: ApproverRule,
  wave: string,
  principal: Pick<Principal, 'user' | 'groups' | 'mfa'>,
  body: { comment?: string | undefined; notReadyReason?: string | undefined },
  readiness: ReadinessSnapshot | undefined,
  now: () => Date = () => new Date(),
): ApprovalDecision {
  return {
    comment: body.comment,
    ...(body.notReadyReason !== undefined && { notReadyReason: body.notReadyReason }),
    ...(readiness !== undefined && { readiness }),
    plan: (recorded) =>
      planApproval(rule, recorded, {
        wave,
        approver: { user: principal.user, groups: principal.groups, mfa: principal.mfa },
        comment: body.comment,
        notReadyReason: body.notReadyReason,
        readiness,
        now: now(),
      }),
  };
}
