import { describe, expect, it } from 'vitest';

import type { RecordedApproval } from '@fleetdeck/shared';

import { ApproverRule } from '../../src/access/policy.ts';
import { approvalBlocker, planApproval, progressFor, ruleFor, type Approver } from '../../src/promotion/approver-policy.ts';
import { RolloutActionError } from '../../src/sources/rollouts/rollout-source.ts';

const PROD = ApproverRule.parse({ stages: 'prod*', approvals: 2, groups: [{ group: 'fleet-platform-admins', approvals: 1 }] });
const MFA = ApproverRule.parse({ stages: 'prod*', approvals: 1, mfa: true });
const RULES = [PROD, ApproverRule.parse({ stages: 'staging', approvals: 2 })];

const pat: Approver = { user: 'pat', groups: ['fleet-platform-admins', 'other'] };
const ada: Approver = { user: 'ada', groups: ['tenant-client-a-admins'] };
const bob: Approver = { user: 'bob', groups: ['tenant-client-a-admins'] };
const now = new Date('2026-11-26T07:00:00Z');

/** Plans and "writes" (appends) like a source does. */
function approve(rule: ApproverRule, recorded: RecordedApproval[], who: Approver, extra: Partial<Parameters<typeof planApproval>[2]> = {}) {
  const plan = planApproval(rule, recorded, { wave: 'prod', approver: who, now, ...extra });
  return { plan, recorded: plan.record ? [...recorded, plan.record] : recorded };
}

describe('ruleFor', () => {
  it('takes the first rule whose glob matches, else one approval', () => {
    expect(ruleFor(RULES, 'prodeu')).toBe(PROD);
    expect(ruleFor(RULES, 'staging').approvals).toBe(2);
    expect(ruleFor(RULES, 'canary')).toMatchObject({ approvals: 1, groups: [], mfa: false });
    expect(ruleFor([ApproverRule.parse({ stages: '*', approvals: 3 }), PROD], 'prod').approvals).toBe(3);
  });
});

describe('planApproval', () => {
  it('without a rule, the first approval releases the gate', () => {
    const { plan } = approve(ruleFor([], 'prod'), [], ada);
    expect(plan).toMatchObject({ final: true, result: { outcome: 'done', code: 'approved' }, record: { user: 'ada', groups: [] } });
  });

  it('the same person twice counts once', () => {
    const first = approve(PROD, [], pat);
    expect(first.plan).toMatchObject({ final: false, result: { code: 'partiallyApproved', message: '1 of 2 approvals; needs one more' } });
    const again = approve(PROD, first.recorded, pat);
    expect(again.plan.record).toBeUndefined();
    expect(again.plan.final).toBe(false);
    expect(again.plan.result).toEqual({ outcome: 'no-op', code: 'alreadyCounted', message: 'you already approved; needs one more' });
    expect(progressFor(PROD, again.recorded).approvals).toHaveLength(1);
    // A repeated entry in the annotation (hand-written) still counts once.
    expect(progressFor(PROD, [...first.recorded, ...first.recorded]).approvals).toHaveLength(1);
  });

  it('a group requirement is filled only by a member; a non-member is refused when only that group can help', () => {
    const first = approve(PROD, [], ada);
    expect(first.plan.result.message).toBe('1 of 2 approvals; needs one more from fleet-platform-admins');
    expect(progressFor(PROD, first.recorded)).toMatchObject({
      required: 2,
      satisfied: false,
      groupRequirements: [{ group: 'fleet-platform-admins', required: 1, given: 0 }],
    });
    // Bob is a second person, but not of the group: recording him would be a useless approval.
    expect(() => approve(PROD, first.recorded, bob)).toThrow(
      expect.objectContaining({ status: 403, message: 'this wave needs an approver from fleet-platform-admins' }) as Error,
    );
    expect(approvalBlocker(PROD, first.recorded, bob)?.kind).toBe('wrongGroup');
    const second = approve(PROD, first.recorded, pat);
    expect(second.plan).toMatchObject({ final: true, result: { code: 'approved' } });
    // Only the groups the policy names are recorded.
    expect(second.plan.record?.groups).toEqual(['fleet-platform-admins']);
    expect(progressFor(PROD, second.recorded)).toMatchObject({ satisfied: true, summary: '2 of 2 approvals' });
  });

  it('an admin first leaves a free slot anyone allowed may fill', () => {
    const first = approve(PROD, [], pat);
    expect(approve(PROD, first.recorded, ada).plan.final).toBe(true);
    expect(progressFor(PROD, []).summary).toBe('0 of 2 approvals; needs two more, one of them from fleet-platform-admins');
  });

  it('one person in two required groups fills only one of them (matching, not greedy)', () => {
    const rule = ApproverRule.parse({ stages: '*', approvals: 2, groups: [{ group: 'g1' }, { group: 'g2' }] });
    const both: Approver = { user: 'both', groups: ['g1', 'g2'] };
    const onlyG1: Approver = { user: 'one', groups: ['g1'] };
    const first = approve(rule, [], both);
    expect(first.plan.final).toBe(false);
    // "both" was matched to g1 first; "one" (g1) still completes it by moving "both" to g2.
    expect(approve(rule, first.recorded, onlyG1).plan.final).toBe(true);
  });

  it('concurrent approvals: the second, re-planned after the first write, is the one that releases the gate', () => {
    const rule = ruleFor(RULES, 'staging');
    const read: RecordedApproval[] = [];
    const planA = planApproval(rule, read, { wave: 'staging', approver: ada, now });
    const planB = planApproval(rule, read, { wave: 'staging', approver: bob, now });
    // Both planned against the same empty list: each thinks it is the first of two.
    expect([planA.final, planB.final]).toEqual([false, false]);
    // A's write lands; B's precondition fails, B re-reads and re-plans.
    const afterA = [...read, planA.record!];
    const replanB = planApproval(rule, afterA, { wave: 'staging', approver: bob, now });
    expect(replanB).toMatchObject({ final: true, record: { user: 'bob' }, result: { code: 'approved' } });
    // Had A's request been retried instead (same person), it would be a no-op, never a second count.
    expect(planApproval(rule, afterA, { wave: 'staging', approver: ada, now }).result.code).toBe('alreadyCounted');
  });

  it('when enough approvals are recorded but the gate was not released, any approval finishes the job', () => {
    const rule = ruleFor(RULES, 'staging');
    const recorded = [approve(rule, [], ada).plan.record!, approve(rule, [], bob).plan.record!];
    const plan = planApproval(rule, recorded, { wave: 'staging', approver: ada, now });
    expect(plan).toMatchObject({ record: undefined, final: true, result: { code: 'approved' } });
  });

  it('an MFA rule refuses an approver without a multi-factor sign-in, and says it needs one', () => {
    expect(progressFor(MFA, []).mfaRequired).toBe(true);
    expect(progressFor(PROD, []).mfaRequired).toBe(false);
    let err: unknown;
    try {
      planApproval(MFA, [], { wave: 'prod', approver: { ...pat, mfa: false }, now });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RolloutActionError);
    expect((err as RolloutActionError).message).toMatch(/multi-factor/);
    const plan = planApproval(MFA, [], { wave: 'prod', approver: { ...pat, mfa: true }, now });
    expect(plan).toMatchObject({ final: true, record: { user: 'pat', mfa: true } });
  });

  it('keeps the not-ready reason and the readiness snapshot with the approval', () => {
    const readiness = { verdict: 'NotReady' as const, reasons: ['2 of 4 clusters failed'], evaluatedAt: now.toISOString(), digest: 'd1' };
    const { plan } = approve(PROD, [], ada, { notReadyReason: 'hotfix', readiness, comment: 'go' });
    expect(plan.record).toEqual({
      user: 'ada',
      at: now.toISOString(),
      comment: 'go',
      groups: [],
      notReadyReason: 'hotfix',
      readiness,
    });
  });
});

describe('progressFor', () => {
  it('an upstream-approved gate is satisfied whatever was recorded', () => {
    expect(progressFor(PROD, [], true)).toMatchObject({ satisfied: true, summary: 'approved' });
  });
});
