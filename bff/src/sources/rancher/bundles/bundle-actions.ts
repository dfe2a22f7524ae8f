import type { RolloutActionResult } from '@fleetdeck/shared';

import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { updateAsPerson } from '../../kube/person-writes.ts';
import { callAs, ok, refusal, rolloutError } from '../../rollouts/rollout-writes.ts';
import { RolloutActionError, type ActionContext, type RolloutActions, type SourceRollout } from '../../rollouts/rollout-source.ts';
import { approveGatedWave } from './gated-approve.ts';
import { pinGitRepo, unpinGitRepo, type GitRepoDocument } from './gitrepo-pin.ts';

/** Where a rollout's objects are on the hub. */
export interface BundleRefs {
  bundle: { namespace: string; name: string };
  /** Its owning GitRepo (label fleet.cattle.io/repo-name), if it has one. */
  gitRepo?: { namespace: string; name: string };
  /** What approvals of its gated waves are for now (see approvalRevision). */
  revision: string;
}

const BASE = '/apis/fleet.cattle.io/v1alpha1/namespaces';
const CONFLICT_RETRIES = 4;
const seg = encodeURIComponent;

const done = (code: string, message: string): RolloutActionResult => ({ outcome: 'done', code, message });
const noop = (code: string, message: string): RolloutActionResult => ({ outcome: 'no-op', code, message });

/**
 * The writes on Fleet bundles, each made as the person (impersonation). Fleet has no
 * approval gate (a bundle may opt in to Fleetdeck's gated waves: see gated-approve.ts) and
 * no abort; pause/resume flip `Bundle.spec.paused`; a roll back pins
 * the owning GitRepo to the plan's commit, and unpin lets it follow its branch again.
 */
export function fleetBundleActions(
  writer: ImpersonatingClient,
  refsOf: (rollout: SourceRollout) => BundleRefs | undefined,
): RolloutActions {
  const refs = (rollout: SourceRollout) => {
    const r = refsOf(rollout);
    if (!r) throw new RolloutActionError(404, 'This bundle is no longer on the hub');
    return r;
  };

  async function setPaused(ctx: ActionContext, rollout: SourceRollout, paused: boolean): Promise<RolloutActionResult> {
    const { bundle } = refs(rollout);
    const path = `${BASE}/${seg(bundle.namespace)}/bundles/${seg(bundle.name)}`;
    const what = `${paused ? 'pausing' : 'resuming'} bundle ${bundle.name}`;
    const current = await callAs<{ spec?: { paused?: boolean } }>(writer, ctx, 'GET', path, what);
    if (!ok(current)) throw refusal(current, what);
    if ((current.body.spec?.paused === true) === paused) {
      return paused
        ? noop('alreadyPaused', `Bundle ${bundle.name} is already paused`)
        : noop('notPaused', `Bundle ${bundle.name} is not paused`);
    }
    const res = await callAs(writer, ctx, 'PATCH', path, what, { body: { spec: { paused } }, contentType: 'application/merge-patch+json' });
    if (!ok(res)) throw refusal(res, what);
    return paused
      ? done('paused', `Bundle ${bundle.name} paused: Fleet stages new versions but applies none until it is resumed`)
      : done('resumed', `Bundle ${bundle.name} resumed: its partitions proceed`);
  }

  /** Read, change, write back with the read resourceVersion; a conflict reads again. */
  async function updateGitRepo(
    ctx: ActionContext,
    rollout: SourceRollout,
    what: string,
    change: (repo: GitRepoDocument) => GitRepoDocument | undefined,
    results: { done: RolloutActionResult; noop: RolloutActionResult },
  ): Promise<RolloutActionResult> {
    const repo = refs(rollout).gitRepo;
    if (!repo) throw new RolloutActionError(409, 'This bundle comes from no GitRepo: there is nothing to pin');
    const path = `${BASE}/${seg(repo.namespace)}/gitrepos/${seg(repo.name)}`;
    const as = { errorOf: rolloutError, writer, principal: ctx.principal, tries: CONFLICT_RETRIES };
    return updateAsPerson<GitRepoDocument, RolloutActionResult>(as, path, what, (current) => {
      const next = change(current);
      return next ? { next, result: results.done } : { next: undefined, result: results.noop };
    });
  }

  return {
    approve: (ctx, rollout, wave, decision) => approveGatedWave(writer, refs(rollout), ctx, rollout, wave, decision),
    abort: () => Promise.reject(new RolloutActionError(409, 'Fleet bundles cannot be aborted: pause it, or roll back')),
    pause: (ctx, rollout) => setPaused(ctx, rollout, true),
    resume: (ctx, rollout) => setPaused(ctx, rollout, false),
    rollback(ctx, rollout) {
      const plan = rollout.rollback;
      if (!plan) return Promise.reject(new RolloutActionError(409, 'No earlier commit is known to roll back to'));
      const name = refsOf(rollout)?.gitRepo?.name ?? 'GitRepo';
      return updateGitRepo(ctx, rollout, `pinning GitRepo ${name}`, (r) => pinGitRepo(r, plan.toRevision), {
        done: done('pinned', `${plan.note}.`),
        noop: noop('alreadyPinned', `GitRepo ${name} is already pinned to ${plan.toRevision}`),
      });
    },
    unpin(ctx, rollout) {
      const name = refsOf(rollout)?.gitRepo?.name ?? 'GitRepo';
      return updateGitRepo(ctx, rollout, `unpinning GitRepo ${name}`, unpinGitRepo, {
        done: done('unpinned', `GitRepo ${name} follows its branch again: new pushes are deployed`),
        noop: noop('notPinned', `GitRepo ${name} is not pinned by Fleetdeck`),
      });
    },
  };
}
