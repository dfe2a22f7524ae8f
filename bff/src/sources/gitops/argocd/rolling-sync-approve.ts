import { APPROVALS_ANNOTATION, type RolloutActionResult } from '@fleetdeck/shared';

import { callAs, ok, refusal } from '../../rollouts/rollout-writes.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { currentApprovals, parseApprovals, type BundleApprovals } from '../../rancher/bundles/gating-annotations.ts';
import { RolloutActionError, type ActionContext, type ApprovalDecision, type SourceRollout } from '../../rollouts/rollout-source.ts';
import { DeliveryActionError } from '../delivery-source.ts';
import type { MappedSet } from './rolling-sync-map.ts';
import type { AppStatusView, AppView } from './rolling-sync-objects.ts';
import { requestSync } from './sync-operation.ts';
import { isWaitingIdle } from './rolling-sync-waves.ts';

const MAX_ATTEMPTS = 6;
const MAX_APPROVALS = 20;
/** Far above 20 approvals with comments; far below the 256 KiB annotation limit. */
const MAX_RECORD = 64 * 1024;

/** The set as the source holds it now: its mapping and the controller's per-app statuses. */
export interface HeldSet {
  mapped: MappedSet;
  entries: ReadonlyMap<string, AppStatusView>;
}

interface Annotated {
  metadata?: { resourceVersion?: string; annotations?: Record<string, string> };
}

const appSetPath = (ns: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(ns)}/applicationsets/${encodeURIComponent(name)}`;

type Recorded = { kind: 'answer'; result: RolloutActionResult } | { kind: 'sync'; result: RolloutActionResult };

/**
 * Counts this approval on the ApplicationSet's `fleetdeck.dev/approvals` record (approvals
 * hold for one revision; the approver policy plans on the record as read for each attempt,
 * and a conflict re-reads), written as the person with the read resourceVersion as
 * precondition. A sole approval that releases the gate records nothing: the sync it makes
 * names the person (`operation.initiatedBy.username`), and approving then needs no write
 * access to the ApplicationSet.
 */
async function record(
  writer: ImpersonatingClient,
  ctx: ActionContext,
  held: HeldSet,
  wave: string,
  decision: ApprovalDecision,
): Promise<Recorded> {
  const { rollout, revision } = held.mapped;
  const known = rollout.recordedApprovals?.[wave] ?? [];
  const first = decision.plan(known);
  if (first.final && known.length === 0 && first.record?.notReadyReason === undefined) return { kind: 'sync', result: first.result };
  const path = appSetPath(rollout.namespace!, rollout.name);
  const what = `recording the approval of wave ${wave} on ApplicationSet ${rollout.name}`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read = await callAs<Annotated>(writer, ctx, 'GET', path, what);
    if (!ok(read)) throw refusal(read, what);
    const recordNow = currentApprovals(parseApprovals(read.body.metadata?.annotations?.[APPROVALS_ANNOTATION]), revision);
    const rec = recordNow.waves[wave] ?? { approvals: [] };
    if (rec.releasedAt !== undefined) {
      // Released by someone else; its apps still wait (their sync failed or was interrupted): finish the job.
      return {
        kind: 'sync',
        result: { outcome: 'done', code: 'approved', message: `wave ${wave} was approved by ${rec.releasedBy ?? 'someone'}` },
      };
    }
    const plan = decision.plan(rec.approvals);
    if (!plan.record && !plan.final) return { kind: 'answer', result: plan.result };
    const approvals = plan.record ? [...rec.approvals, plan.record] : rec.approvals;
    if (approvals.length > MAX_APPROVALS) throw new RolloutActionError(409, `wave ${wave} already has ${MAX_APPROVALS} approvals recorded`);
    const next: BundleApprovals = {
      revision,
      waves: {
        ...recordNow.waves,
        [wave]: { approvals, ...(plan.final && { releasedAt: new Date().toISOString(), releasedBy: ctx.principal.user }) },
      },
    };
    const value = JSON.stringify(next);
    if (value.length > MAX_RECORD) throw new RolloutActionError(409, `${what}: too many approvals are recorded`);
    const patch = await callAs(writer, ctx, 'PATCH', path, what, {
      // The resourceVersion is a precondition: 409 when another approver wrote first (re-read and re-plan).
      body: { metadata: { resourceVersion: read.body.metadata?.resourceVersion, annotations: { [APPROVALS_ANNOTATION]: value } } },
      contentType: 'application/merge-patch+json',
    });
    if (patch.status === 409) continue;
    if (!ok(patch)) throw refusal(patch, what);
    return { kind: plan.final ? 'sync' : 'answer', result: plan.result };
  }
  throw new RolloutActionError(409, `${what}: the ApplicationSet kept changing; try again`);
}

/** Asks Argo CD to sync each app as the person; an app whose sync is already running counts as asked. */
async function syncAll(writer: ImpersonatingClient, ctx: ActionContext, apps: readonly AppView[]) {
  const asked: string[] = [];
  const failed: { app: string; error: DeliveryActionError }[] = [];
  for (const app of apps) {
    try {
      await requestSync(writer, ctx, { namespace: app.namespace, name: app.name }, app.prune ? { prune: true } : {});
      asked.push(app.name);
    } catch (err) {
      if (!(err instanceof DeliveryActionError)) throw err;
      if (err.status === 409 && /already running/.test(err.message)) asked.push(app.name);
      else failed.push({ app: app.name, error: err });
    }
  }
  return { asked, failed };
}

/**
 * Approving a RollingSync step with `maxUpdate: 0` (Argo CD's only gate): record the
 * approval under the approver policy, and when it is satisfied sync, as the person, that
 * step's Applications still waiting — exactly what a person clicking Sync on each does,
 * which is how the controller expects the step to be released.
 */
export async function approveStep(
  writer: ImpersonatingClient,
  held: HeldSet | undefined,
  ctx: ActionContext,
  rollout: SourceRollout,
  wave: string,
  decision: ApprovalDecision,
): Promise<RolloutActionResult> {
  if (!held) throw new RolloutActionError(404, `ApplicationSet ${rollout.name} is gone`);
  const w = held.mapped.rollout.waves.find((x) => x.name === wave);
  const step = held.mapped.steps.find((s) => s.wave === wave);
  if (!w || !step) throw new RolloutActionError(404, `rollout ${rollout.name} has no wave ${wave}`);
  const gate = w.gates.find((g) => g.kind === 'Approval');
  if (!gate) {
    throw new RolloutActionError(409, `wave ${wave} is not gated (its maxUpdate is not 0): Argo CD syncs it by itself`);
  }
  if (gate.state === 'NotStarted') {
    throw new RolloutActionError(
      409,
      `wave ${wave} is not reached yet: Argo CD opens it when every Application of the earlier steps is Healthy`,
    );
  }
  const waiting = step.apps.filter((a) => isWaitingIdle(held.entries, a));
  if (gate.state !== 'Waiting' || waiting.length === 0) {
    return {
      outcome: 'no-op',
      code: 'alreadyApproved',
      message: `wave ${wave} was already approved${gate.approvedBy ? ` by ${gate.approvedBy}` : ''}`,
    };
  }
  const recorded = await record(writer, ctx, held, wave, decision);
  if (recorded.kind === 'answer') return recorded.result;
  const { asked, failed } = await syncAll(writer, ctx, waiting);
  if (failed.length > 0) {
    const worst = failed.find((f) => f.error.status === 403) ?? failed[0]!;
    const status = worst.error.status === 400 ? 422 : worst.error.status;
    const done = asked.length > 0 ? `; asked to sync ${asked.join(', ')}` : '';
    throw new RolloutActionError(status, `wave ${wave}: Argo CD could not be asked to sync ${worst.app}: ${worst.error.message}${done}`);
  }
  return { ...recorded.result, message: `${recorded.result.message}; Argo CD was asked to sync ${asked.join(', ')}` };
}
