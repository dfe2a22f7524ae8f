import { createHash } from 'node:crypto';

import type { RolloutActionResult } from '@fleetdeck/shared';

import type { Logger } from '../../../lib/logger.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { RolloutActionError, type ActionContext, type RolloutActions, type SourceRollout } from '../../rollouts/rollout-source.ts';
import { approveWave } from './approve.ts';
import { conditionOf, type KfScope } from './kf-objects.ts';
import { callAs, ok, refusal } from '../../rollouts/rollout-writes.ts';
import { listMapProbe } from './list-map-probe.ts';
import { collectionPath, runsKind } from './paths.ts';
import type { RolloutStore } from './rollout-store.ts';
import { readRun } from './version-adapter.ts';

export interface ActionDeps {
  writer: ImpersonatingClient;
  store: RolloutStore;
  apiVersion: () => string;
  now: () => Date;
  logger: Logger;
}

const scopeOf = (r: SourceRollout): KfScope => (r.source === 'kubefleet' ? 'cluster' : 'namespaced');
/** Upstream caps a run's name (it becomes part of its approval requests' names). */
const MAX_RUN_NAME = 127;

/** The writes on KubeFleet runs, each made as the person so the hub's RBAC is the second wall. */
export function kubeFleetRolloutActions(deps: ActionDeps): RolloutActions {
  const { writer } = deps;
  const probe = listMapProbe(writer, deps.apiVersion, deps.logger);
  const runPath = (r: SourceRollout) =>
    `${collectionPath(deps.apiVersion(), scopeOf(r), r.namespace, 'stagedupdateruns')}/${encodeURIComponent(r.name)}`;

  /** The run as it is now (not as cached), read as the person. */
  async function freshRun(ctx: ActionContext, r: SourceRollout, what: string) {
    const res = await callAs<unknown>(writer, ctx, 'GET', runPath(r), what);
    if (!ok(res)) throw refusal(res, what);
    const run = readRun(res.body, scopeOf(r));
    if (!run) throw new RolloutActionError(502, `${what}: the hub answered an unreadable run`);
    const spec = (res.body as { spec?: Record<string, unknown> }).spec;
    // The proposed API has `suspend` instead of `state`: write the field the object has.
    const usesSuspend = spec?.state === undefined && typeof spec?.suspend === 'boolean';
    const finished = conditionOf(run.conditions, 'Succeeded');
    if (finished && finished.status !== 'Unknown') throw new RolloutActionError(409, `run ${r.name} has finished`);
    return { run, usesSuspend };
  }

  async function setState(ctx: ActionContext, r: SourceRollout, stop: boolean, what: string): Promise<RolloutActionResult> {
    const { usesSuspend } = await freshRun(ctx, r, what);
    const body = usesSuspend ? { spec: { suspend: stop } } : { spec: { state: stop ? 'Stop' : 'Run' } };
    // A merge patch is right for one scalar spec field (it is the lists it would replace).
    const res = await callAs(writer, ctx, 'PATCH', runPath(r), what, { body, contentType: 'application/merge-patch+json' });
    if (!ok(res)) throw refusal(res, what);
    return stop
      ? { outcome: 'done', code: 'paused', message: `stopped run ${r.name}: clusters updating now finish, no new ones start` }
      : { outcome: 'done', code: 'resumed', message: `resumed run ${r.name}` };
  }

  return {
    approve: (ctx, rollout, wave, decision) =>
      approveWave(
        {
          ...deps,
          conditionsAreListMap: (kind) => probe(kind),
          cached: (scope, namespace, name) => deps.store.approval(scope, namespace, name),
        },
        ctx,
        rollout,
        wave,
        decision,
      ),

    async pause(ctx, rollout) {
      const what = `stopping run ${rollout.name}`;
      const { run } = await freshRun(ctx, rollout, what);
      if (run.state === 'Stop') return { outcome: 'no-op', code: 'alreadyPaused', message: `run ${rollout.name} is already stopped` };
      if (run.state === 'Initialize') throw new RolloutActionError(409, 'a run that has not started cannot be stopped; delete it instead');
      if (run.state !== 'Run') throw new RolloutActionError(409, `run ${rollout.name} is in a state Fleetdeck does not know`);
      return setState(ctx, rollout, true, what);
    },

    async resume(ctx, rollout) {
      const what = `resuming run ${rollout.name}`;
      const { run } = await freshRun(ctx, rollout, what);
      if (run.state === 'Run') return { outcome: 'no-op', code: 'alreadyRunning', message: `run ${rollout.name} is already running` };
      if (run.state !== 'Stop') throw new RolloutActionError(409, `run ${rollout.name} was not stopped, so there is nothing to resume`);
      return setState(ctx, rollout, false, what);
    },

    async abort(ctx, rollout) {
      const what = `deleting run ${rollout.name}`;
      const res = await callAs(writer, ctx, 'DELETE', runPath(rollout), what);
      if (res.status === 404) return { outcome: 'no-op', code: 'alreadyGone', message: `run ${rollout.name} is already gone` };
      if (!ok(res)) throw refusal(res, what);
      return {
        outcome: 'done',
        code: 'aborted',
        message: `deleted run ${rollout.name}: no further clusters are updated; clusters already updated stay updated`,
      };
    },

    async rollback(ctx, rollout, options) {
      const plan = rollout.rollback;
      if (!plan)
        throw new RolloutActionError(
          409,
          `no earlier run of ${rollout.target} succeeded with another resource snapshot, so there is nothing to roll back to`,
        );
      const what = `rolling back ${rollout.target}`;
      const scope = scopeOf(rollout);
      const strategy = deps.store.runOf(rollout.id)?.strategyName ?? (await freshRunSpec(ctx, rollout, what)).strategyName;
      if (!strategy) throw new RolloutActionError(409, `run ${rollout.name} names no strategy to roll back with`);
      const taken = new Set(deps.store.runNames(scope, rollout.namespace));
      const base = `${rollout.name.slice(0, MAX_RUN_NAME - 16).replace(/[-.]+$/, '')}-rollback-`;
      // Under `once` the name is the key's: a second attempt meets the first run (409) instead of making another.
      const onceName =
        options?.once !== undefined ? `${base}${createHash('sha256').update(options.once).digest('hex').slice(0, 8)}` : undefined;
      let n = 1;
      for (let attempt = 0; attempt < (onceName ? 1 : 10); attempt++, n++) {
        while (!onceName && taken.has(`${base}${n}`)) n++;
        const name = onceName ?? `${base}${n}`;
        const res = await callAs(
          writer,
          ctx,
          'POST',
          collectionPath(deps.apiVersion(), scope, rollout.namespace, 'stagedupdateruns'),
          what,
          {
            body: {
              apiVersion: `placement.kubernetes-fleet.io/${deps.apiVersion()}`,
              kind: runsKind(scope),
              metadata: { name, ...(rollout.namespace && { namespace: rollout.namespace }) },
              spec: {
                placementName: rollout.target,
                resourceSnapshotIndex: plan.toRevision,
                stagedRolloutStrategyName: strategy,
                state: 'Run',
              },
            },
          },
        );
        if (ok(res))
          return {
            outcome: 'done',
            code: 'rolledBack',
            message: `created run ${name}: ${rollout.target} returns to resource snapshot ${plan.toRevision}, stage by stage`,
          };
        if (res.status !== 409) throw refusal(res, what);
        if (onceName)
          return { outcome: 'no-op', code: 'alreadyRolledBack', message: `run ${onceName} already rolls ${rollout.target} back` };
      }
      throw new RolloutActionError(409, `${what}: no free name for the roll back run; try again`);
    },

    unpin: () => Promise.reject(new RolloutActionError(409, 'only Fleet GitRepos are pinned')),
  };

  async function freshRunSpec(ctx: ActionContext, r: SourceRollout, what: string): Promise<{ strategyName?: string }> {
    const res = await callAs<unknown>(writer, ctx, 'GET', runPath(r), what);
    if (!ok(res)) throw refusal(res, what);
    return { strategyName: readRun(res.body, scopeOf(r))?.strategyName };
  }
}
