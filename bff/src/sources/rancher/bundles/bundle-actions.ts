import type { RolloutActionResult } from '@fleetdeck/shared';

import { UpstreamFailure, type ImpersonatingClient, type KubeAnswer } from '../../kube/impersonating-client.ts';
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

/** An answer other than success as the route's error; the API server's own words stay in its audit log. */
function refused(status: number, what: string): RolloutActionError {
  if (status === 403) return new RolloutActionError(403, `Kubernetes refused ${what}`);
  if (status === 404) return new RolloutActionError(404, `Not found on the hub: ${what}`);
  if (status === 409) return new RolloutActionError(409, `It kept changing while Fleetdeck wrote it: ${what}; try again`);
  return new RolloutActionError(502, `The hub did not complete ${what} (HTTP ${status})`);
}

async function call<T>(
  writer: ImpersonatingClient,
  ctx: ActionContext,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<KubeAnswer<T>> {
  try {
    return await writer.request<T>(ctx.principal, method, path, {
      ...(body !== undefined && { body }),
      ...(contentType && { contentType }),
    });
  } catch (err) {
    if (err instanceof UpstreamFailure) throw new RolloutActionError(502, `The hub did not answer: ${err.message}`);
    throw err;
  }
}
const ok = (status: number) => status >= 200 && status < 300;

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
    const current = await call<{ spec?: { paused?: boolean } }>(writer, ctx, 'GET', path);
    if (!ok(current.status)) throw refused(current.status, what);
    if ((current.body.spec?.paused === true) === paused) {
      return paused
        ? noop('alreadyPaused', `Bundle ${bundle.name} is already paused`)
        : noop('notPaused', `Bundle ${bundle.name} is not paused`);
    }
    const res = await call(writer, ctx, 'PATCH', path, { spec: { paused } }, 'application/merge-patch+json');
    if (!ok(res.status)) throw refused(res.status, what);
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
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const current = await call<GitRepoDocument>(writer, ctx, 'GET', path);
      if (!ok(current.status)) throw refused(current.status, what);
      const next = change(current.body);
      if (!next) return results.noop;
      const res = await call(writer, ctx, 'PUT', path, next);
      if (res.status === 409) continue;
      if (!ok(res.status)) throw refused(res.status, what);
      return results.done;
    }
    throw refused(409, what);
  }

  return {
    approve: (ctx, rollout, wave, decision) =>
      approveGatedWave(
        <T>(c: ActionContext, m: string, p: string, b?: unknown) => call<T>(writer, c, m, p, b),
        refs(rollout),
        ctx,
        rollout,
        wave,
        decision,
      ),
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
