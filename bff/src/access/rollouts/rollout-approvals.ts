import type { ApprovalProgress, RecordedApproval } from '@fleetdeck/shared';

import { progressFor, ruleFor } from '../../promotion/approver-policy.ts';
import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import type { RolloutAccessContext, Viewer } from './rollout-context.ts';
import type { Visibility } from './rollout-visibility.ts';

/**
 * Per wave with an approval gate, the approver policy's progress as this person sees it.
 * Who approved is shown to anyone who sees the rollout (approvers are people, not clusters);
 * in a redacted copy the free text of others' approvals (comment, not-ready reason) and the
 * readiness snapshot they saw (its reasons may name clusters this person may not see) are dropped.
 */
export function approvalProgressView(
  viewer: Viewer,
  r: SourceRollout,
  v: Visibility,
  ctx: RolloutAccessContext,
): Record<string, ApprovalProgress> | undefined {
  const out: Record<string, ApprovalProgress> = {};
  for (const w of r.waves) {
    const gates = w.gates.filter((g) => g.kind === 'Approval');
    if (gates.length === 0) continue;
    const released = !gates.some((g) => g.state === 'Waiting') && gates.some((g) => g.state === 'Approved');
    const progress = progressFor(ruleFor(ctx.approvers ?? [], w.name), r.recordedApprovals?.[w.name] ?? [], released);
    out[w.name] = { ...progress, approvals: progress.approvals.map((a) => approvalView(a, v.redacted && a.user !== viewer.user)) };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function approvalView(a: RecordedApproval, redact: boolean): RecordedApproval {
  return {
    user: a.user,
    at: a.at,
    groups: [...a.groups],
    ...(a.mfa !== undefined && { mfa: a.mfa }),
    ...(!redact && a.comment !== undefined && { comment: a.comment }),
    ...(!redact && a.notReadyReason !== undefined && { notReadyReason: a.notReadyReason }),
    ...(!redact && a.readiness !== undefined && { readiness: { ...a.readiness, reasons: [...a.readiness.reasons] } }),
  };
}
