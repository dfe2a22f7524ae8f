import type { RolloutActionResult } from '@fleetdeck/shared';

import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { updateAsPerson, type UpdateOptions } from '../../kube/person-writes.ts';
import { rolloutError } from '../../rollouts/rollout-writes.ts';
import { RolloutActionError, type ActionContext, type ApprovalDecision, type SourceRollout } from '../../rollouts/rollout-source.ts';
import {
  approvalsKey,
  currentApprovals,
  gatingOf,
  HELD_BY_ANNOTATION,
  parseApprovals,
  type BundleApprovals,
} from './gating-annotations.ts';
import { releaseFor, type ClusterDocument } from './hold-plan.ts';

const BASE = '/apis/fleet.cattle.io/v1alpha1/namespaces';
const CONFLICT_RETRIES = 4;
const MAX_APPROVALS = 20;
const seg = encodeURIComponent;

export interface GatedRefs {
  bundle: { namespace: string; name: string };
  gitRepo?: { namespace: string; name: string };
  /** What approvals are for now (approvalRevision of the bundle as cached). */
  revision: string;
}

interface Annotated {
  metadata: { annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/**
 * Approving a wave of a gated Fleet bundle, as the person: the approval is recorded (see
 * approvalsKey for where and why) with the approver policy deciding on the approvals as
 * read for each attempt, so concurrent approvers never both count as "the first of two";
 * when the policy is satisfied the same write marks the wave released, and the person's
 * identity then unpauses the wave's clusters that Fleetdeck holds for this bundle (a
 * cluster another bundle still holds stays paused). The leader's hold pass converges the
 * rest if this is interrupted.
 */
export async function approveGatedWave(
  writer: ImpersonatingClient,
  refs: GatedRefs,
  ctx: ActionContext,
  rollout: SourceRollout,
  waveName: string,
  decision: ApprovalDecision,
): Promise<RolloutActionResult> {
  if (!gatingOf(rollout.annotations ?? {}).gated) {
    throw new RolloutActionError(409, 'Fleet has no approval gates; this bundle does not opt in (fleetdeck.dev/gated-waves: "true")');
  }
  const wave = rollout.waves.find((w) => w.name === waveName);
  if (!wave) throw new RolloutActionError(404, 'this rollout has no such wave');
  const gate = wave.gates.find((g) => g.kind === 'Approval');
  if (!gate) throw new RolloutActionError(409, 'the first wave is never gated');
  if (gate.state === 'NotStarted') throw new RolloutActionError(409, 'an earlier wave is not released yet');
  const key = approvalsKey(refs.bundle.name);
  const where = refs.gitRepo
    ? {
        path: `${BASE}/${seg(refs.gitRepo.namespace)}/gitrepos/${seg(refs.gitRepo.name)}`,
        what: `recording the approval on GitRepo ${refs.gitRepo.name}`,
      }
    : {
        path: `${BASE}/${seg(refs.bundle.namespace)}/bundles/${seg(refs.bundle.name)}`,
        what: `recording the approval on bundle ${refs.bundle.name}`,
      };
  const as: UpdateOptions = { errorOf: rolloutError, writer, principal: ctx.principal, tries: CONFLICT_RETRIES };
  const outcome = await updateAsPerson<Annotated, { result: RolloutActionResult; release: boolean }>(as, where.path, where.what, (doc) => {
    const record = currentApprovals(parseApprovals(doc.metadata.annotations?.[key]), refs.revision);
    const rec = record.waves[waveName] ?? { approvals: [] };
    if (rec.releasedAt !== undefined) {
      return {
        next: undefined,
        result: { result: { outcome: 'no-op', code: 'alreadyApproved', message: `Wave ${waveName} is already approved` }, release: true },
      };
    }
    const plan = decision.plan(rec.approvals);
    if (!plan.record && !plan.final) return { next: undefined, result: { result: plan.result, release: false } };
    const approvals = plan.record ? [...rec.approvals, plan.record] : rec.approvals;
    if (approvals.length > MAX_APPROVALS)
      throw new RolloutActionError(409, `wave ${waveName} already has ${MAX_APPROVALS} approvals recorded`);
    const nextRecord: BundleApprovals = {
      revision: refs.revision,
      waves: {
        ...record.waves,
        [waveName]: {
          approvals,
          ...(plan.final && { releasedAt: new Date().toISOString(), releasedBy: ctx.principal.user }),
        },
      },
    };
    const annotations = { ...doc.metadata.annotations, [key]: JSON.stringify(nextRecord) };
    return { next: { ...doc, metadata: { ...doc.metadata, annotations } }, result: { result: plan.result, release: plan.final } };
  });
  if (!outcome.release) return outcome.result;
  const bundleKey = `${refs.bundle.namespace}/${refs.bundle.name}`;
  // Fleet Clusters live in the bundle's workspace namespace; a wave's clusters are named by them.
  for (const c of wave.clusters) {
    const path = `${BASE}/${seg(refs.bundle.namespace)}/clusters/${seg(c.cluster)}`;
    await updateAsPerson<ClusterDocument & Annotated, null>(as, path, `releasing Fleet Cluster ${c.cluster}`, (doc) => ({
      next: releaseFor(doc, bundleKey, HELD_BY_ANNOTATION),
      result: null,
    })).catch((err: unknown) => {
      // A cluster that is gone has nothing to release.
      if (err instanceof RolloutActionError && err.status === 404) return null;
      throw err;
    });
  }
  return outcome.result;
}
