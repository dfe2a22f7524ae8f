import {
  ApproveBody,
  ConfirmBody,
  EmptyBody,
  PauseBody,
  RejectBody,
  RolloutParams,
  RolloutWaveParams,
  apiPaths,
  STEP_UP_PROBLEM_TYPE,
  type AuditRecord,
  type ReadinessSnapshot,
  type RolloutActionKind,
  type RolloutActionResult,
  type WaveReadiness,
} from '@fleetdeck/shared';
import type { $ZodType } from 'zod/v4/core';

import { visibilityOf, type Visibility } from '../access/rollout-access.ts';
import { currentContext, type RolloutAccessContext } from '../access/rollouts/rollout-context.ts';
import { approvePermission, operatePermission, stateConflict } from '../access/rollouts/rollout-permissions.ts';
import { HttpProblem } from '../lib/problem.ts';
import { approvalDecision, reasonMissingDetail, reasonRequired, snapshotOf } from '../promotion/approval-gate.ts';
import { approvalBlocker, needsStepUp, ruleFor } from '../promotion/approver-policy.ts';
import { RolloutActionError, type ActionContext, type RolloutActions, type SourceRollout } from '../sources/rollouts/rollout-source.ts';
import { defineRoute, requires, type HandlerArgs, type Permission } from './route.ts';

/** The one answer for a rollout that does not exist and for one the person may not see. */
export const rolloutNotFound = () => new HttpProblem(404, 'no such rollout');

type Args = HandlerArgs<Extract<Permission, { kind: 'verb' }>, unknown, unknown, { id: string }>;

interface ActionSpec {
  kind: RolloutActionKind;
  /** Wave, comment or reason: what the audit record and the history carry. */
  wave?: string;
  comment?: string;
  /** Approving a wave that was not ready: the typed reason and what the approver saw (set by `authorize`). */
  notReadyReason?: string;
  readiness?: ReadinessSnapshot;
  /** Throws HttpProblem when this person may not take the action on this rollout. */
  authorize(r: SourceRollout, v: Visibility, ctx: RolloutAccessContext): void | Promise<void>;
  run(actions: RolloutActions, ctx: ActionContext, r: SourceRollout): Promise<RolloutActionResult>;
}

/**
 * Runs one rollout action: find it (404 alike for missing and not visible), check this
 * person's right to it (403 with the reason, 409 when its state rules it out), call the
 * owning source as the person, and audit every outcome — to the log, to the rollout's
 * history, and as a Kubernetes Event on the object.
 */
async function act({ res, params, principal, scope, requestId, services }: Args, spec: ActionSpec): Promise<void> {
  const { config, rollouts, audit, logger } = services;
  const ctx = currentContext(services.inventory, config.rollouts.tenantNamespace, services.policy.approvers);
  const r = rollouts.get(params.id);
  const v = r && visibilityOf({ scope, user: principal.user }, r, ctx);
  // Read when recorded: `authorize` may add the not-ready reason and the readiness snapshot.
  const detailOf = () => {
    const main = [spec.wave && `wave ${spec.wave}`, spec.comment].filter(Boolean).join(': ');
    const notReady =
      spec.notReadyReason !== undefined &&
      `approved while not ready (${spec.readiness?.verdict ?? 'unknown'}${spec.readiness ? `, readiness ${spec.readiness.digest}` : ''}): ${spec.notReadyReason}`;
    return [main, notReady].filter(Boolean).join(' — ') || undefined;
  };
  const record = (result: AuditRecord['result'], extra?: string, tenant?: string, object?: SourceRollout['object']) => {
    const text = [detailOf(), extra].filter(Boolean).join(' — ') || undefined;
    audit.record(
      {
        requestId,
        actor: principal.user,
        groups: principal.groups,
        action: spec.kind,
        target: params.id,
        ...(tenant !== undefined && { tenant }),
        result,
        ...(text !== undefined && { detail: text }),
      },
      object,
    );
  };
  if (!r || !v) {
    // Recorded the same way whether it exists or not: the actor reads their own records.
    record('denied', 'no such rollout');
    throw rolloutNotFound();
  }
  const source = rollouts.sourceFor(r.id);
  if (!source) throw rolloutNotFound();
  const history = (result: string, at = new Date().toISOString()) =>
    rollouts.recordHistory(r.id, {
      at,
      actor: principal.user,
      action: spec.kind,
      ...(spec.wave !== undefined && { wave: spec.wave }),
      result,
      ...(spec.comment !== undefined && { comment: spec.comment }),
      ...(spec.notReadyReason !== undefined && { notReadyReason: spec.notReadyReason }),
      ...(spec.readiness !== undefined && { readiness: spec.readiness }),
      from: 'audit',
    });
  try {
    await spec.authorize(r, v, ctx);
  } catch (err) {
    if (err instanceof HttpProblem)
      record(err.status === 403 || err.status === 401 ? 'denied' : 'failure', err.message, v.tenant, r.object);
    throw err;
  }
  let result: RolloutActionResult;
  try {
    result = await spec.run(source.actions, { principal, requestId }, r);
  } catch (err) {
    if (err instanceof RolloutActionError) {
      record(err.status === 403 ? 'denied' : 'failure', err.message, v.tenant, r.object);
      history(err.status === 403 ? 'denied' : 'failed');
      throw new HttpProblem(err.status, err.message);
    }
    record('failure', 'upstream failed', v.tenant, r.object);
    history('failed');
    throw new HttpProblem(502, 'upstream failed', { cause: err });
  }
  record(result.outcome === 'done' ? 'success' : 'no-op', result.code, v.tenant, r.object);
  history(result.outcome === 'done' ? result.code : `no-op: ${result.code}`);
  logger.debug({ requestId, id: r.id, action: spec.kind, code: result.code }, 'rollout action');
  res.json(result);
}

/** 403 unless the person may operate this rollout; 409 when its state rules the action out. */
function operate(kind: Exclude<RolloutActionKind, 'approve'>, args: Args) {
  return (r: SourceRollout, v: Visibility, ctx: RolloutAccessContext) => {
    const allowed = operatePermission({ scope: args.scope, user: args.principal.user }, r, v, ctx);
    if (!allowed.allowed) throw new HttpProblem(403, allowed.reason ?? 'not allowed');
    const conflict = stateConflict(kind, r);
    if (conflict) throw new HttpProblem(409, conflict);
  };
}

function confirmed(confirm: string, r: SourceRollout): void {
  if (confirm !== r.name) throw new HttpProblem(422, `to confirm, type the rollout's name exactly ("${r.name}")`);
}

const operateRoute = <B>(
  kind: Exclude<RolloutActionKind, 'approve'>,
  path: string,
  summary: string,
  body: $ZodType<B>,
  run: (actions: RolloutActions, ctx: ActionContext, r: SourceRollout, body: B) => Promise<RolloutActionResult>,
  extra?: { comment?: (b: B) => string | undefined; check?: (b: B, r: SourceRollout) => void },
) =>
  defineRoute({
    method: 'post',
    path,
    permission: requires('operate'),
    summary,
    params: RolloutParams,
    body,
    handler: (args) => {
      const b = args.body;
      const comment = extra?.comment?.(b);
      return act(args, {
        kind,
        ...(comment !== undefined && { comment }),
        authorize: (r, v, ctx) => {
          operate(kind, args)(r, v, ctx);
          extra?.check?.(b, r);
        },
        run: (actions, ctx, r) => run(actions, ctx, r, b),
      });
    },
  });

export const rolloutApproveRoute = defineRoute({
  method: 'post',
  path: apiPaths.rolloutApprove,
  permission: requires('approve'),
  summary:
    'Approves the waiting gate of one wave, as the caller, under the approver policy (how many people, from which groups, MFA); ' +
    'a wave that is not ready needs notReadyReason; repeat: alreadyCounted / alreadyApproved.',
  params: RolloutWaveParams,
  body: ApproveBody,
  handler: (args) => {
    const { params, body, principal, services } = args;
    const rule = ruleFor(services.policy.approvers, params.wave);
    let readiness: ReadinessSnapshot | undefined = body.readiness;
    const spec: ActionSpec = {
      kind: 'approve',
      wave: params.wave,
      ...(body.comment !== undefined && { comment: body.comment }),
      ...(body.notReadyReason !== undefined && { notReadyReason: body.notReadyReason }),
      ...(readiness !== undefined && { readiness }),
      authorize: async (r, v, ctx) => {
        const wave = r.waves.find((w) => w.name === params.wave);
        if (!wave) throw new HttpProblem(404, 'this rollout has no such wave');
        const allowed = approvePermission({ scope: args.scope, user: principal.user }, wave, v, ctx, { requireWaiting: false });
        if (!allowed.allowed) throw new HttpProblem(403, allowed.reason ?? 'not allowed');
        // Approved is passed on: a second approval is the source's clear no-op.
        const gates = wave.gates.filter((g) => g.kind === 'Approval');
        if (!gates.some((g) => g.state === 'Waiting' || g.state === 'Approved' || g.state === 'Unknown'))
          throw new HttpProblem(409, 'no approval is waiting at this wave');
        // Judged again by the source on the recorded approvals as it reads them; this is the early, clear answer.
        const blocker = approvalBlocker(rule, r.recordedApprovals?.[wave.name] ?? [], principal);
        if (blocker?.kind === 'wrongGroup') throw new HttpProblem(403, blocker.message);
        if (needsStepUp(rule, principal))
          throw new HttpProblem(
            401,
            `approving wave ${wave.name} needs a multi-factor sign-in: sign in again with MFA, then approve again`,
            {
              type: STEP_UP_PROBLEM_TYPE,
            },
          );
        // A repeat (already counted, gate already released) is the source's no-op: no readiness needed.
        if (blocker?.kind === 'alreadyCounted' || !gates.some((g) => g.state !== 'Approved')) return;
        let evaluated: Pick<WaveReadiness, 'verdict' | 'reasons' | 'evaluatedAt' | 'digest' | 'errors'>;
        try {
          evaluated = await services.readiness.evaluateUnscoped(r, wave.name);
        } catch (err) {
          services.logger.warn({ err, id: r.id, wave: wave.name }, 'readiness could not be evaluated for an approval');
          const now = new Date().toISOString();
          evaluated = {
            verdict: 'Unknown' as const,
            reasons: [],
            evaluatedAt: now,
            digest: 'unavailable',
            errors: [{ source: 'readiness', reason: 'failed' }],
          };
        }
        readiness ??= snapshotOf(evaluated);
        spec.readiness = readiness;
        if (reasonRequired(evaluated) && body.notReadyReason === undefined)
          throw new HttpProblem(422, reasonMissingDetail(wave.name, evaluated));
      },
      run: (actions, ctx, r) => actions.approve(ctx, r, params.wave, approvalDecision(rule, params.wave, principal, body, readiness)),
    };
    return act(args, spec);
  },
});

export const rolloutActionRoutes = [
  rolloutApproveRoute,
  operateRoute<{ reason?: string }>(
    'pause',
    apiPaths.rolloutPause,
    'Pauses a rollout (in-flight clusters finish, no new ones start); optional reason.',
    PauseBody,
    (a, c, r, b) => a.pause(c, r, b.reason),
    { comment: (b) => b.reason },
  ),
  operateRoute<{ reason: string }>(
    'reject',
    apiPaths.rolloutReject,
    'Rejects a rollout: pauses it with a required reason, recorded.',
    RejectBody,
    (a, c, r, b) => a.pause(c, r, b.reason),
    { comment: (b) => b.reason },
  ),
  operateRoute<Record<string, never>>('resume', apiPaths.rolloutResume, 'Resumes a paused rollout.', EmptyBody, (a, c, r) =>
    a.resume(c, r),
  ),
  operateRoute<{ confirm: string }>(
    'abort',
    apiPaths.rolloutAbort,
    "Aborts a KubeFleet run (deletes it; updated clusters stay updated); body confirms the rollout's name.",
    ConfirmBody,
    (a, c, r) => a.abort(c, r),
    { check: (b, r) => confirmed(b.confirm, r) },
  ),
  operateRoute<{ confirm: string }>(
    'rollback',
    apiPaths.rolloutRollback,
    "Rolls back (KubeFleet: a new run with the replaced snapshot; Fleet: pins the GitRepo); body confirms the rollout's name.",
    ConfirmBody,
    (a, c, r) => a.rollback(c, r),
    { check: (b, r) => confirmed(b.confirm, r) },
  ),
  operateRoute<Record<string, never>>(
    'unpin',
    apiPaths.rolloutUnpin,
    'Fleet: restores the branch a roll back unpinned.',
    EmptyBody,
    (a, c, r) => a.unpin(c, r),
  ),
];
