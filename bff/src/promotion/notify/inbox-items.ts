import type { InboxItem, Principal } from '@fleetdeck/shared';

import type { ApproverRule } from '../../access/policy.ts';
import type { RolloutAccessContext, Viewer } from '../../access/rollouts/rollout-context.ts';
import { approvePermission } from '../../access/rollouts/rollout-permissions.ts';
import { visibilityOf } from '../../access/rollouts/rollout-visibility.ts';
import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import { approvalBlocker, progressFor, ruleFor } from '../approver-policy.ts';
import { rolloutAppPath } from './payloads.ts';

/**
 * The "waiting for you" inbox (pure). A gate is listed when the person may approve it now:
 * the dashboard's own rule (they see the whole wave and hold `approve` on every cluster of
 * it, access/rollouts/rollout-permissions.ts) and the approver policy's (they are not
 * already counted, and a slot is left that they can fill). Anything they may not approve
 * — another tenant's gate above all — is simply absent, so nothing in the answer (not even
 * its length) depends on what they cannot see.
 */

/** The part that depends on the person's scope only (cacheable per rollout version and scope). */
export function gateForScope(viewer: Viewer, r: SourceRollout, ctx: RolloutAccessContext): InboxItem | undefined {
  const gate = r.awaitingApproval;
  if (!gate) return undefined;
  const wave = r.waves.find((w) => w.name === gate.wave);
  if (!wave) return undefined;
  const v = visibilityOf(viewer, r, ctx);
  if (!v || !approvePermission(viewer, wave, v, ctx).allowed) return undefined;
  const waitingSince = wave.gates.find((g) => g.kind === 'Approval' && g.position === gate.position && g.state === 'Waiting')?.waitingSince;
  return {
    rolloutId: r.id,
    rollout: r.name,
    ...(v.tenant !== undefined && { tenant: v.tenant }),
    wave: gate.wave,
    position: gate.position,
    ...(waitingSince !== undefined && { waitingSince }),
    href: rolloutAppPath(r.id, gate.wave),
  };
}

/** The person's part: the approver policy. Undefined when their approval would not count now. */
export function forPerson(
  item: InboxItem,
  r: SourceRollout,
  person: Pick<Principal, 'user' | 'groups'>,
  rules: readonly ApproverRule[],
): InboxItem | undefined {
  const rule = ruleFor(rules, item.wave);
  const recorded = r.recordedApprovals?.[item.wave] ?? [];
  if (approvalBlocker(rule, recorded, person)) return undefined;
  const progress = progressFor(rule, recorded);
  if (progress.required <= 1 && recorded.length === 0) return item;
  return { ...item, progress: { given: progress.approvals.length, required: progress.required } };
}

/** Oldest wait first; gates with no known start after them, then by rollout name and wave. */
export function byWaitingSince(a: InboxItem, b: InboxItem): number {
  if (a.waitingSince !== b.waitingSince) {
    if (a.waitingSince === undefined) return 1;
    if (b.waitingSince === undefined) return -1;
    return Date.parse(a.waitingSince) - Date.parse(b.waitingSince);
  }
  return a.rollout.localeCompare(b.rollout) || a.wave.localeCompare(b.wave) || a.rolloutId.localeCompare(b.rolloutId);
}

export function inboxItems(
  viewer: Viewer,
  person: Pick<Principal, 'user' | 'groups'>,
  rollouts: readonly SourceRollout[],
  ctx: RolloutAccessContext,
  rules: readonly ApproverRule[],
  scoped: (r: SourceRollout) => InboxItem | undefined = (r) => gateForScope(viewer, r, ctx),
): InboxItem[] {
  const items: InboxItem[] = [];
  for (const r of rollouts) {
    if (!r.awaitingApproval) continue;
    const base = scoped(r);
    const item = base && forPerson(base, r, person, rules);
    if (item) items.push(item);
  }
  return items.sort(byWaitingSince);
}
