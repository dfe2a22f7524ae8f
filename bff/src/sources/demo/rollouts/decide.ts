import type { RecordedApproval, RolloutActionResult } from '@fleetdeck/shared';

import { RolloutActionError, type ApprovalDecision, type SourceRollout } from '../../rollouts/rollout-source.ts';
import type { DemoAction } from './simulate.ts';

/**
 * What an action does to a demo run as it is now: the answer, and the action to record
 * (none for a no-op). Pure; refusals throw RolloutActionError with the route's status.
 */
export interface Decision {
  result: RolloutActionResult;
  action?: DemoAction;
  /** An approval the approver policy counted, to keep with the run's gate (partial or final). */
  record?: RecordedApproval;
}

const finished = (r: SourceRollout): boolean => r.state === 'Succeeded' || r.state === 'Failed';

/**
 * An approval under the approver policy: `recorded` are the approvals kept for the waiting
 * gate so far; the decision's plan says whether this one counts and whether it releases the
 * gate (only then is the simulated run's approve action recorded).
 */
export function decideApprove(
  r: SourceRollout,
  waveName: string,
  actor: string,
  decision: Pick<ApprovalDecision, 'comment' | 'plan'>,
  recorded: readonly RecordedApproval[],
  at: number,
): Decision {
  const wave = r.waves.find((w) => w.name === waveName);
  if (!wave) throw new RolloutActionError(404, `rollout ${r.name} has no wave ${waveName}`);
  const approvals = wave.gates.filter((g) => g.kind === 'Approval');
  const approved = approvals.find((g) => g.state === 'Approved');
  const waiting = approvals.find((g) => g.state === 'Waiting');
  if (!waiting && approved) {
    return {
      result: {
        outcome: 'no-op',
        code: 'alreadyApproved',
        message: `wave ${waveName} was already approved by ${approved.approvedBy ?? 'someone'}`,
      },
    };
  }
  if (!waiting) throw new RolloutActionError(409, `wave ${waveName} is not waiting for an approval`);
  const plan = decision.plan(recorded);
  const record = plan.record && { record: plan.record };
  if (!plan.final) return { result: plan.result, ...record };
  const { comment } = decision;
  return {
    result: plan.result,
    action: { kind: 'approve', at, actor, wave: waveName, position: waiting.position, ...(comment !== undefined && { comment }) },
    ...record,
  };
}

export function decidePause(r: SourceRollout, actor: string, reason: string | undefined, at: number): Decision {
  if (finished(r)) throw new RolloutActionError(409, `rollout ${r.name} has finished (${r.state}); there is nothing to pause`);
  if (r.state === 'Stopped')
    return { result: { outcome: 'no-op', code: 'alreadyPaused', message: `rollout ${r.name} is already stopped` } };
  return {
    result: { outcome: 'done', code: 'paused', message: `rollout ${r.name} stopped: clusters in flight finish, no new ones start` },
    action: { kind: 'pause', at, actor, ...(reason !== undefined && { reason }) },
  };
}

export function decideResume(r: SourceRollout, actor: string, at: number): Decision {
  if (finished(r)) throw new RolloutActionError(409, `rollout ${r.name} has finished (${r.state}); there is nothing to resume`);
  if (r.state !== 'Stopped') return { result: { outcome: 'no-op', code: 'alreadyRunning', message: `rollout ${r.name} is not stopped` } };
  return { result: { outcome: 'done', code: 'resumed', message: `rollout ${r.name} resumed` }, action: { kind: 'resume', at, actor } };
}

export function decideAbort(r: SourceRollout | undefined, name: string, actor: string, at: number): Decision {
  if (!r) return { result: { outcome: 'no-op', code: 'alreadyAborted', message: `rollout ${name} is already gone` } };
  return {
    result: { outcome: 'done', code: 'aborted', message: `rollout ${r.name} deleted; clusters already updated stay updated` },
    action: { kind: 'abort', at, actor },
  };
}

/** Whether a roll back may start; `inProgress` names an unfinished roll back of the same run. */
export function decideRollback(r: SourceRollout, inProgress: SourceRollout | undefined): Decision | undefined {
  if (inProgress)
    return { result: { outcome: 'no-op', code: 'rollbackInProgress', message: `roll back ${inProgress.name} is still running` } };
  if (!r.rollback) throw new RolloutActionError(409, `rollout ${r.name} has nothing to roll back to`);
  if (r.rollback.clusters.length === 0) throw new RolloutActionError(409, `rollout ${r.name} has not updated any cluster yet`);
  return undefined;
}
