import { compileGlob, type ApprovalProgress, type GlobMatcher, type ReadinessSnapshot, type RecordedApproval } from '@fleetdeck/shared';

import type { ApproverRule } from '../access/policy.ts';
import { RolloutActionError, type ApprovalPlan } from '../sources/rollouts/rollout-source.ts';

/**
 * The approver policy (pure): which rule governs a wave, how far its approvals have come,
 * and what one more approval does. Counting rules:
 * - one entry per person: the same user never counts twice;
 * - a group requirement is filled only by approvers in that group, and each approver fills at
 *   most one group slot (two group requirements need two people, as a four-eyes rule means);
 * - the total is the rule's `approvals`, or the sum of its group requirements if that is more.
 */

/** Waves no rule matches: one approval from anyone allowed to approve, no MFA. */
export const DEFAULT_APPROVER_RULE: ApproverRule = { stages: '*', approvals: 1, groups: [], mfa: false };

const matchers = new WeakMap<ApproverRule, GlobMatcher>();

/** The first rule whose `stages` glob matches the wave name, else the default (1 approval). */
export function ruleFor(rules: readonly ApproverRule[], wave: string): ApproverRule {
  for (const rule of rules) {
    let m = matchers.get(rule);
    if (!m) {
      m = compileGlob(rule.stages);
      matchers.set(rule, m);
    }
    if (m(wave)) return rule;
  }
  return DEFAULT_APPROVER_RULE;
}

export interface Approver {
  user: string;
  groups: readonly string[];
  mfa?: boolean | undefined;
}

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const word = (n: number): string => WORDS[n] ?? String(n);

/** Distinct approvers, oldest first (a list written by hand or by an old version may repeat someone). */
function distinct(recorded: readonly RecordedApproval[]): RecordedApproval[] {
  const seen = new Set<string>();
  return recorded.filter((a) => (seen.has(a.user) ? false : (seen.add(a.user), true)));
}

const totalOf = (rule: ApproverRule): number =>
  Math.max(
    rule.approvals,
    rule.groups.reduce((s, g) => s + g.approvals, 0),
  );

/**
 * How many approvers fill each group requirement: a maximum bipartite matching of approvers
 * to group slots (augmenting paths; sizes are at most 10 × 10, so this is trivial work).
 * Greedy would be wrong: an approver in both groups taken by the first group can starve the second.
 */
function groupFill(rule: ApproverRule, approvers: readonly { groups: readonly string[] }[]): number[] {
  const slots: number[] = rule.groups.flatMap((g, i) => Array<number>(g.approvals).fill(i));
  const slotOwner: (number | undefined)[] = slots.map(() => undefined);
  const fits = (a: number, s: number) => approvers[a]!.groups.includes(rule.groups[slots[s]!]!.group);
  const augment = (a: number, seen: boolean[]): boolean => {
    for (let s = 0; s < slots.length; s++) {
      if (seen[s] || !fits(a, s)) continue;
      seen[s] = true;
      const owner = slotOwner[s];
      if (owner === undefined || augment(owner, seen)) {
        slotOwner[s] = a;
        return true;
      }
    }
    return false;
  };
  for (let a = 0; a < approvers.length; a++)
    augment(
      a,
      slots.map(() => false),
    );
  const given = rule.groups.map(() => 0);
  slotOwner.forEach((owner, s) => {
    if (owner !== undefined) given[slots[s]!]!++;
  });
  return given;
}

interface Tally {
  approvals: RecordedApproval[];
  required: number;
  given: number[];
  satisfied: boolean;
  /** Remaining slots, and how many of them only a member of some required group can fill. */
  missing: number;
  reserved: number;
}

function tally(rule: ApproverRule, recorded: readonly RecordedApproval[]): Tally {
  const approvals = distinct(recorded);
  const required = totalOf(rule);
  const given = groupFill(rule, approvals);
  const reserved = rule.groups.reduce((s, g, i) => s + Math.max(0, g.approvals - given[i]!), 0);
  const missing = Math.max(required - approvals.length, reserved);
  return { approvals, required, given, satisfied: missing === 0, missing, reserved };
}

function missingGroups(rule: ApproverRule, t: Tally): string[] {
  return rule.groups.filter((g, i) => t.given[i]! < g.approvals).map((g) => g.group);
}

function summaryOf(rule: ApproverRule, t: Tally): string {
  const head = `${t.approvals.length} of ${t.required} approval${t.required === 1 ? '' : 's'}`;
  if (t.satisfied) return head;
  const groups = missingGroups(rule, t);
  const more = t.missing === 1 ? 'one more' : `${word(t.missing)} more`;
  if (groups.length === 0) return `${head}; needs ${more}`;
  if (t.reserved === t.missing) return `${head}; needs ${more} from ${groups.join(' and ')}`;
  return `${head}; needs ${more}, ${word(t.reserved)} of them from ${groups.join(' and ')}`;
}

/** The policy's state for a wave's gate. `approved`: the gate is already released upstream (by whatever means). */
export function progressFor(rule: ApproverRule, recorded: readonly RecordedApproval[], approved = false): ApprovalProgress {
  const t = tally(rule, recorded);
  const satisfied = t.satisfied || approved;
  return {
    required: t.required,
    approvals: t.approvals,
    groupRequirements: rule.groups.map((g, i) => ({ group: g.group, required: g.approvals, given: t.given[i]! })),
    satisfied,
    summary: approved && !t.satisfied ? 'approved' : summaryOf(rule, t),
    mfaRequired: rule.mfa,
  };
}

/**
 * Why this person's approval would not move the gate, if it would not: they already count
 * (`alreadyCounted`), or every remaining slot is reserved for a group they are not in
 * (`wrongGroup`, with the sentence a 403 carries). Undefined when their approval counts.
 */
export function approvalBlocker(
  rule: ApproverRule,
  recorded: readonly RecordedApproval[],
  approver: Pick<Approver, 'user' | 'groups'>,
): { kind: 'alreadyCounted' | 'wrongGroup'; message: string } | undefined {
  const t = tally(rule, recorded);
  if (t.approvals.some((a) => a.user === approver.user)) {
    return {
      kind: 'alreadyCounted',
      message: t.satisfied ? 'you already approved' : `you already approved; ${summaryOf(rule, t).split('; ')[1] ?? 'waiting for others'}`,
    };
  }
  if (t.satisfied || t.missing > t.reserved) return undefined;
  const after = tally(rule, [...t.approvals, entry(rule, approver, new Date(0))]);
  if (after.reserved < t.reserved) return undefined;
  return { kind: 'wrongGroup', message: `this wave needs an approver from ${missingGroups(rule, t).join(' or ')}` };
}

/** Whether approving under this rule needs a multi-factor sign-in this person does not have. */
export function needsStepUp(rule: ApproverRule, approver: Pick<Approver, 'mfa'>): boolean {
  return rule.mfa && approver.mfa !== true;
}

function entry(
  rule: ApproverRule,
  approver: Pick<Approver, 'user' | 'groups' | 'mfa'>,
  now: Date,
  extra: { comment?: string | undefined; notReadyReason?: string | undefined; readiness?: ReadinessSnapshot | undefined } = {},
): RecordedApproval {
  const named = new Set(rule.groups.map((g) => g.group));
  return {
    user: approver.user,
    at: now.toISOString(),
    ...(extra.comment !== undefined && { comment: extra.comment }),
    // Only the groups the policy counts: the annotation is readable by anyone who reads the request.
    groups: approver.groups.filter((g) => named.has(g)).slice(0, 20),
    ...(extra.notReadyReason !== undefined && { notReadyReason: extra.notReadyReason }),
    ...(extra.readiness !== undefined && { readiness: extra.readiness }),
    ...(approver.mfa !== undefined && { mfa: approver.mfa }),
  };
}

export interface PlanInput {
  wave: string;
  approver: Approver;
  comment?: string | undefined;
  notReadyReason?: string | undefined;
  readiness?: ReadinessSnapshot | undefined;
  now: Date;
}

/**
 * What this approval does against the approvals recorded as just read. Called again on every
 * write conflict, so two approvers at once are counted one after the other. Throws
 * RolloutActionError(403) when it could not count (a missing MFA sign-in, a group it is not in).
 */
export function planApproval(rule: ApproverRule, recorded: readonly RecordedApproval[], input: PlanInput): ApprovalPlan {
  const { wave, approver } = input;
  if (needsStepUp(rule, approver)) throw new RolloutActionError(403, `approving wave ${wave} needs a multi-factor sign-in`);
  const before = tally(rule, recorded);
  const blocker = approvalBlocker(rule, recorded, approver);
  if (before.satisfied) {
    // Enough approvals are recorded, but the gate may not be released yet (the condition
    // write failed after the annotation write): this approval finishes the job.
    return { record: undefined, final: true, result: { outcome: 'done', code: 'approved', message: `approved wave ${wave}` } };
  }
  if (blocker?.kind === 'alreadyCounted')
    return { record: undefined, final: false, result: { outcome: 'no-op', code: 'alreadyCounted', message: blocker.message } };
  if (blocker) throw new RolloutActionError(403, blocker.message);
  const record = entry(rule, approver, input.now, input);
  const after = tally(rule, [...before.approvals, record]);
  if (after.satisfied) {
    return {
      record,
      final: true,
      result: { outcome: 'done', code: 'approved', message: `approved wave ${wave} (${summaryOf(rule, after)})` },
    };
  }
  return { record, final: false, result: { outcome: 'done', code: 'partiallyApproved', message: summaryOf(rule, after) } };
}
