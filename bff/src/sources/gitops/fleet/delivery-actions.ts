import type { DeliveryActionResult } from '@fleetdeck/shared';

import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { updateAsPerson } from '../../kube/person-writes.ts';
import type { ActionContext } from '../../rollouts/rollout-source.ts';
import { DeliveryActionError, deliveryError, type DeliveryActions, type SourceDelivery } from '../delivery-source.ts';

/** The clicks of force update already applied to a GitRepo, newest last (a short list: replicas and retries only need the recent ones). */
export const FORCE_UPDATE_CLICKS = 'fleetdeck.dev/force-update-clicks';
const KEEP_CLICKS = 20;
const MAX_TRIES = 5;

/** A GitRepo as read from the API server; every field not touched is sent back unchanged. */
interface GitRepoDocument {
  metadata?: { annotations?: Record<string, string>; resourceVersion?: string; [k: string]: unknown };
  spec?: { paused?: boolean; forceSyncGeneration?: number; [k: string]: unknown };
  [k: string]: unknown;
}

const done = (message: string): DeliveryActionResult => ({ outcome: 'done', message });
const noop = (message: string): DeliveryActionResult => ({ outcome: 'no-op', message });

export const clicksOf = (repo: GitRepoDocument): string[] =>
  (repo.metadata?.annotations?.[FORCE_UPDATE_CLICKS] ?? '').split(',').filter((c) => c !== '');

/** Rancher's force update, once per click: undefined when this click is already applied. */
export function forceUpdated(repo: GitRepoDocument, click: string): { next: GitRepoDocument; from: number; to: number } | undefined {
  const clicks = clicksOf(repo);
  if (clicks.includes(click)) return undefined;
  const from = repo.spec?.forceSyncGeneration ?? 0;
  const to = (from || 1) + 1;
  const annotations = { ...repo.metadata?.annotations, [FORCE_UPDATE_CLICKS]: [...clicks, click].slice(-KEEP_CLICKS).join(',') };
  return { next: { ...repo, metadata: { ...repo.metadata, annotations }, spec: { ...repo.spec, forceSyncGeneration: to } }, from, to };
}

/**
 * Fleet GitRepo writes, as the person (impersonated): force update (`forceSyncGeneration`
 * + 1 as Rancher's button does, once per click even when several replicas receive it) and
 * pause/resume. Each is read, decided, and written back with the read resourceVersion; a
 * conflict reads again and decides again, so a click another replica applied meanwhile is
 * seen and not applied twice.
 */
export function fleetDeliveryActions(writer: ImpersonatingClient): Required<Pick<DeliveryActions, 'forceUpdate' | 'setPaused'>> {
  function update(
    ctx: ActionContext,
    d: SourceDelivery,
    what: string,
    decide: (repo: GitRepoDocument) => { next: GitRepoDocument; result: DeliveryActionResult } | DeliveryActionResult,
  ): Promise<DeliveryActionResult> {
    if (d.engine !== 'fleet') return Promise.reject(new DeliveryActionError(400, 'Not a Fleet GitRepo'));
    const path = `/apis/fleet.cattle.io/v1alpha1/namespaces/${encodeURIComponent(d.namespace)}/gitrepos/${encodeURIComponent(d.name)}`;
    const as = { errorOf: deliveryError, writer, principal: ctx.principal, tries: MAX_TRIES };
    return updateAsPerson<GitRepoDocument, DeliveryActionResult>(as, path, what, (repo) => {
      const decision = decide(repo);
      return 'next' in decision ? decision : { next: undefined, result: decision };
    });
  }

  return {
    forceUpdate: (ctx, d, click) =>
      update(ctx, d, `force update of ${d.name}`, (repo) => {
        const change = forceUpdated(repo, click);
        if (!change) return noop(`Already applied: this force update of ${d.name} was made before`);
        return { next: change.next, result: done(`forceSyncGeneration ${change.from} → ${change.to}: Fleet redeploys ${d.name}`) };
      }),
    setPaused: (ctx, d, paused) =>
      update(ctx, d, `${paused ? 'pausing' : 'resuming'} ${d.name}`, (repo) => {
        if ((repo.spec?.paused === true) === paused) return noop(`${d.name} is already ${paused ? 'paused' : 'running'}`);
        return {
          next: { ...repo, spec: { ...repo.spec, paused } },
          result: done(
            paused
              ? `${d.name} paused: Fleet still renders new commits but deploys none until it is resumed`
              : `${d.name} resumed: Fleet deploys its latest commit`,
          ),
        };
      }),
  };
}
