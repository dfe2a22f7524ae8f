import type { RolloutActionResult } from '@fleetdeck/shared';

import type { Logger } from '../../../lib/logger.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { RolloutActionError, type ActionContext, type SourceRollout } from '../../rollouts/rollout-source.ts';
import { APPROVED_REASON, approvalMessage, parseApprovalMessage } from './approval-message.ts';
import { callAs, ok, refusal } from './kube-answer.ts';
import { conditionOf, type KfApproval, type KfScope } from './kf-objects.ts';
import { approvalsKind, collectionPath } from './paths.ts';
import { PLACEMENT_GROUP, readConditions } from './version-adapter.ts';

interface ApprovalObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; generation?: number; resourceVersion?: string };
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

/** Approve the gate of a wave that waits (before-stage first), as the person. */
export async function approveWave(
  deps: ApproveDeps,
  ctx: ActionContext,
  rollout: SourceRollout,
  wave: string,
  comment: string | undefined,
): Promise<RolloutActionResult> {
  const w = rollout.waves.find((x) => x.name === wave);
  if (!w) throw new RolloutActionError(404, `rollout ${rollout.name} has no wave ${wave}`);
  const gates = w.gates.filter((g) => g.kind === 'Approval' && g.approvalName);
  const waiting = gates.find((g) => g.state === 'Waiting' && g.position === 'before') ?? gates.find((g) => g.state === 'Waiting');
  // A gate already approved still answers (no-op) a repeat of the same click.
  const gate = waiting ?? gates.findLast((g) => g.state === 'Approved');
  if (!gate?.approvalName) throw new RolloutActionError(409, `wave ${wave} is not waiting for an approval`);

  const scope = rollout.source === 'kubefleet' ? 'cluster' : 'namespaced';
  const kind = approvalsKind(scope);
  const path = `${collectionPath(deps.apiVersion(), scope, rollout.namespace, 'approvalrequests')}/${encodeURIComponent(gate.approvalName)}`;
  const what = `approving wave ${wave}`;
  const done: RolloutActionResult = { outcome: 'done', code: 'approved', message: `approved wave ${wave} (${gate.position}-stage gate)` };
  const listMap = await deps.conditionsAreListMap(kind);

  // The informer's copy is what the person clicked on: write at its resourceVersion straight
  // away, one hub round trip instead of a read then a write. If the request moved on (re-armed
  // at a new generation, approved meanwhile), the precondition fails and the read path decides.
  const known = listMap ? deps.cached?.(scope, rollout.namespace, gate.approvalName) : undefined;
  const knownApproved = known && conditionOf(known.conditions, 'Approved');
  const alreadyKnown = knownApproved?.status === 'True' && knownApproved.observedGeneration === known?.generation;
  if (known?.resourceVersion !== undefined && known.generation !== undefined && !alreadyKnown) {
    const condition = approvedCondition(deps, ctx, comment, known.generation);
    const body = applyBody(
      `${PLACEMENT_GROUP}/${deps.apiVersion()}`,
      kind,
      gate.approvalName,
      rollout.namespace,
      condition,
      known.resourceVersion,
    );
    const applied = await callAs(deps.writer, ctx, 'PATCH', `${path}/status?fieldManager=fleetdeck&force=true`, what, {
      body,
      contentType: 'application/apply-patch+yaml',
    });
    if (ok(applied)) return done;
    if (applied.status === 403 || applied.status === 404) throw refusal(applied, what);
    if (applied.status !== 409) deps.logger.warn({ status: applied.status }, 'approving from the cached request failed; reading it first');
  }

  for (let attempt = 0; attempt < 5; attempt++) {
    // Read through /status: it answers the whole object, and it is what an approver may write.
    const read = await callAs<ApprovalObject>(deps.writer, ctx, 'GET', `${path}/status`, what);
    if (!ok(read)) throw refusal(read, what);
    const obj = read.body;
    const generation = obj.metadata?.generation;
    const conditions = readConditions(obj.status?.conditions);
    const approved = conditions.find((c) => c.type === 'Approved');
    if (approved?.status === 'True' && approved.observedGeneration === generation) {
      const by = parseApprovalMessage(approved.reason, approved.message)?.approvedBy;
      return { outcome: 'no-op', code: 'alreadyApproved', message: `wave ${wave} was already approved${by ? ` by ${by}` : ''}` };
    }
    const condition = approvedCondition(deps, ctx, comment, generation);

    if (listMap) {
      // Server-side apply merges by type: ApprovalAccepted and other writers' conditions stay.
      const applied = await callAs(deps.writer, ctx, 'PATCH', `${path}/status?fieldManager=fleetdeck&force=true`, what, {
        body: applyBody(obj.apiVersion, obj.kind ?? kind, gate.approvalName, rollout.namespace, condition),
        contentType: 'application/apply-patch+yaml',
      });
      if (ok(applied)) return done;
      if (applied.status === 403 || applied.status === 404) throw refusal(applied, what);
      deps.logger.warn({ status: applied.status }, 'server-side apply of an approval refused; reading and updating instead');
    }
    // Read + update with resourceVersion (what `kubectl fleet approve` does): a conflict means someone wrote first.
    const others = (obj.status?.conditions ?? []).filter((c) => (c as { type?: unknown } | null)?.type !== 'Approved');
    const put = await callAs(deps.writer, ctx, 'PUT', `${path}/status`, what, {
      body: { ...obj, status: { ...obj.status, conditions: [...others, condition] } },
    });
    if (ok(put)) return done;
    if (put.status !== 409) throw refusal(put, what);
  }
  throw new RolloutActionError(409, `${what}: the approval request kept changing; try again`);
}
