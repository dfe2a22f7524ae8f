import type { ApprovalDecision } from '../../src/sources/rollouts/rollout-source.ts';

/** A decision with no approver policy: one approval releases the gate (what a source does without one). */
export function singleApproval(comment?: string): ApprovalDecision {
  return {
    comment,
    plan: () => ({ record: undefined, final: true, result: { outcome: 'done', code: 'approved', message: 'approved' } }),
  };
}
