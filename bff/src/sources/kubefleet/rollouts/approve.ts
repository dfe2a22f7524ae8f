import type { RecordedApproval, RolloutActionResult } from '@fleetdeck/shared';

import type { Logger } from '../../../lib/logger.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { RolloutActionError, type ActionContext, type ApprovalDecision, type SourceRollout } from '../../rollouts/rollout-source.ts';
import { APPROVED_REASON, approvalMessage, parseApprovalMessage } from './approval-message.ts';
import { callAs, ok, refusal } from '../../rollouts/rollout-writes.ts';
import { conditionOf, type KfApproval, type KfCondition, type KfScope } from './kf-objects.ts';
import { approvalsKind, collectionPath } from './paths.ts';
import { APPROVALS_ANNOTATION, MAX_APPROVALS_ANNOTATION, writeRecordedApprovals } from './recorded-approvals.ts';
import { PLACEMENT_GROUP, readApproval } from './version-adapter.ts';

interface ApprovalObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; generation?: number; resourceVersion?: string; annotations?: Record<string, string> };
  status?: { conditions?: unknown[] };
}

export interface ApproveDeps {
  writer: ImpersonatingClient;
  apiVersion: () => string;
  now: () => Date;
  logger: Logger;
  /** Whether the hub's CRD keeps approval conditions as a list-map keyed by type (server-side apply merges them then). */
  conditionsAreListMap: (kind: string) => Promise<boolean>;
  /** The approval request as the informer holds it, if it does: lets the write go first, without a read. */
  cached?: (scope: KfScope, namespace: string | undefined, name: string) => KfApproval | undefined;
}

type Condition = Record<string, unknown> & { type: string };

/** The Approved condition Fleetdeck writes: who and why in the message, at the request's generation. */
function approvedCondition(deps: ApproveDeps, ctx: ActionContext, comment: string | undefined, generation: number | undefined): Condition {
  return {
    type: 'Approved',
    status: 'True',
    reason: APPROVED_REASON,
    message: approvalMessage(ctx.principal.user, comment),
    lastTransitionTime: deps
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z'),
    ...(generation !== undefined && { observedGeneration: generation }),
  };
}

/** A server-side apply of one condition (merged by type: ApprovalAccepted and other writers' conditions stay). */
function applyBody(
  apiVersion: string | undefined,
  kind: string,
  name: string,
  namespace: string | undefined,
  condition: Condition,
  resourceVersion?: string,
) {
  return {
    apiVersion,
    kind,
    // A resourceVersion here is a precondition: the API server answers 409 if the object moved on since.
    metadata: { name, ...(namespace && { namespace }), ...(resourceVersion !== undefined && { resourceVersion }) },
    status: { conditions: [condition] },
  };
}

/** The request as one write attempt sees it: from the informer (first attempt) or just read. */
interface Seen {
  generation: number | undefined;
  resourceVersion: string | undefined;
  conditions: KfCondition[];
  recorded: readonly RecordedApproval[];
  /** The whole object when it was read (the read + update fallback needs it); absent for the informer's copy. */
  raw?: ApprovalObject;
}

function seenOf(raw: ApprovalObject, scope: KfScope): Seen {
  const a = readApproval(raw, scope);
  return {
    generation: a?.generation,
    resourceVersion: a?.resourceVersion,
    conditions: a?.conditions ?? [],
    recorded: a?.recordedApprovals ?? [],
    raw,
  };
}

/**
 * Approve the gate of a wave that waits (before-stage first), as the person, under the
 * approver policy. Each attempt: plan on the approvals recorded on the request as seen;
 * append this one to the annotation with the request's resourceVersion as precondition (a
 * conflict means another approver wrote first: re-read and re-plan); when the plan is final,
 * write the Approved condition. Annotation first, condition second: if the condition write
 * fails, the approval stays counted and a repeat (by anyone) finishes the job.
 *
 * One approval releasing the gate (a rule of one, no not-ready reason to keep) skips the
 * annotation: the condition's message already names the approver, and it stays one write.
 * With a not-ready reason it is recorded first, so the history shows the reason and the
 * readiness snapshot on every replica and after restarts.
 */
export async function approveWave(
  deps: ApproveDeps,
  ctx: ActionContext,
  rollout: SourceRollout,
  wave: string,
  decision: ApprovalDecision,
): Promise<RolloutActionResult> {
  const w = rollout.waves.find((x) => x.name === wave);
  if (!w) throw new RolloutActionError(404, `rollout ${rollout.name} has no wave ${wave}`);
  const gates = w.gates.filter((g) => g.kind === 'Approval' && g.approvalName);
  const waiting = gates.find((g) => g.state === 'Waiting' && g.position === 'before') ?? gates.find((g) => g.state === 'Waiting');
  // A gate already approved still answers (no-op) a repeat of the same click.
  const gate = waiting ?? gates.findLast((g) => g.state === 'Approved');
  if (!gate?.approvalName) throw new RolloutActionError(409, `wave ${wave} is not waiting for an approval`);
  const name = gate.approvalName;

  const scope = rollout.source === 'kubefleet' ? 'cluster' : 'namespaced';
  const kind = approvalsKind(scope);
  const path = `${collectionPath(deps.apiVersion(), scope, rollout.namespace, 'approvalrequests')}/${encodeURIComponent(name)}`;
  const what = `approving wave ${wave}`;
  const listMap = await deps.conditionsAreListMap(kind);

  const read = async (): Promise<Seen> => {
    // Read through /status: it answers the whole object (annotations too), and it is what an approver may write.
    const res = await callAs<ApprovalObject>(deps.writer, ctx, 'GET', `${path}/status`, what);
    if (!ok(res)) throw refusal(res, what);
    return seenOf(res.body, scope);
  };

  /** Writes Approved=True; false when the request moved on (re-read and try again). */
  const writeApproved = async (seen: Seen): Promise<boolean> => {
    const condition = approvedCondition(deps, ctx, decision.comment, seen.generation);
    if (listMap) {
      // Server-side apply merges by type: ApprovalAccepted and other writers' conditions stay. The
      // resourceVersion (when known) is a precondition: the API server answers 409 if the object moved on.
      const body = applyBody(
        seen.raw?.apiVersion ?? `${PLACEMENT_GROUP}/${deps.apiVersion()}`,
        seen.raw?.kind ?? kind,
        name,
        rollout.namespace,
        condition,
        seen.raw ? undefined : seen.resourceVersion,
      );
      const applied = await callAs(deps.writer, ctx, 'PATCH', `${path}/status?fieldManager=fleetdeck&force=true`, what, {
        body,
        contentType: 'application/apply-patch+yaml',
      });
      if (ok(applied)) return true;
      if (applied.status === 403 || applied.status === 404) throw refusal(applied, what);
      if (applied.status !== 409)
        deps.logger.warn({ status: applied.status }, 'server-side apply of an approval refused; reading and updating instead');
    }
    if (!seen.raw) return false;
    // Read + update with resourceVersion (what `kubectl fleet approve` does): a conflict means someone wrote first.
    const obj = seen.raw;
    const others = (obj.status?.conditions ?? []).filter((c) => (c as { type?: unknown } | null)?.type !== 'Approved');
    const put = await callAs(deps.writer, ctx, 'PUT', `${path}/status`, what, {
      body: { ...obj, status: { ...obj.status, conditions: [...others, condition] } },
    });
    if (ok(put)) return true;
    if (put.status !== 409) throw refusal(put, what);
    return false;
  };

  // The informer's copy is what the person clicked on: the first attempt starts from it, saving a
  // read. If the request moved on, a precondition fails and the next attempt reads it.
  const known = deps.cached?.(scope, rollout.namespace, name);
  let seen: Seen =
    known?.resourceVersion !== undefined && known.generation !== undefined
      ? {
          generation: known.generation,
          resourceVersion: known.resourceVersion,
          conditions: known.conditions,
          recorded: known.recordedApprovals ?? [],
        }
      : await read();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) seen = await read();
    const approved = conditionOf(seen.conditions, 'Approved');
    if (approved?.status === 'True' && approved.observedGeneration === seen.generation) {
      const by = parseApprovalMessage(approved.reason, approved.message)?.approvedBy;
      return { outcome: 'no-op', code: 'alreadyApproved', message: `wave ${wave} was already approved${by ? ` by ${by}` : ''}` };
    }
    const plan = decision.plan(seen.recorded);
    const sole = plan.final && seen.recorded.length === 0 && plan.record?.notReadyReason === undefined;
    if (plan.record && !sole) {
      const annotated = await recordApproval(deps, ctx, path, what, seen, plan.record);
      if (annotated === 'conflict') continue;
      seen = seenOf(annotated, scope);
    }
    if (!plan.final) return plan.result;
    if (await writeApproved(seen)) return plan.result;
  }
  throw new RolloutActionError(409, `${what}: the approval request kept changing; try again`);
}

const MAX_ATTEMPTS = 6;

/**
 * Appends one approval to the request's annotation, at the resourceVersion it was planned on
 * (a merge patch naming metadata.resourceVersion is refused with 409 if the object moved on).
 * Answers the updated object, or 'conflict'.
 */
async function recordApproval(
  deps: ApproveDeps,
  ctx: ActionContext,
  path: string,
  what: string,
  seen: Seen,
  record: RecordedApproval,
): Promise<ApprovalObject | 'conflict'> {
  const value = writeRecordedApprovals([...seen.recorded, record]);
  if (value.length > MAX_APPROVALS_ANNOTATION) throw new RolloutActionError(409, `${what}: too many approvals are recorded on the request`);
  // Without a resourceVersion there is no precondition to write under: read first.
  if (seen.resourceVersion === undefined) return 'conflict';
  const res = await callAs<ApprovalObject>(deps.writer, ctx, 'PATCH', path, what, {
    body: { metadata: { resourceVersion: seen.resourceVersion, annotations: { [APPROVALS_ANNOTATION]: value } } },
    contentType: 'application/merge-patch+json',
  });
  if (ok(res)) return res.body;
  if (res.status === 409) return 'conflict';
  throw refusal(res, what);
}
