import { randomUUID } from 'node:crypto';

import type { AuditRecord, RolloutActionResult } from '@fleetdeck/shared';

import type { AuditSink } from '../audit/audit-log.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/logger.ts';
import { selfPrincipal, type ImpersonatingClient } from '../sources/kube/impersonating-client.ts';
import type { RolloutService } from '../sources/rollouts/rollout-service.ts';
import { RolloutActionError, type ActionContext, type SourceRollout } from '../sources/rollouts/rollout-source.ts';
import type { Leadership, Notifier, ReadinessService } from './contracts.ts';
import { claimFailure, finishFailure } from './failure-claim.ts';
import { decideFailure, type FailureDecision } from './failure-decision.ts';

export interface FailureGuardDeps {
  config: Config;
  logger: Logger;
  rollouts: RolloutService;
  readiness: ReadinessService;
  leadership: Leadership;
  notifier: Notifier;
  audit: AuditSink;
  /** The hub as the BFF's own identity (the guard acts on behalf of the rule, not of a person). */
  hubClient?: ImpersonatingClient;
}

/** Who the audit, the history and the Events name: Fleetdeck, on behalf of the rule. */
export const FAILURE_RULE_ACTOR = 'fleetdeck (failure threshold rule)';
/** A claim that failed for another reason than losing it is tried again after this long. */
const RETRY_MS = 30_000;

type Acting = Extract<FailureDecision, { act: true }>;

/**
 * The failure threshold acts: when the current wave of a rollout has as many failed
 * clusters as its policy allows, the leader replica claims the failure on the object
 * (failure-claim.ts: once, whatever the replicas), pauses the rollout and — unless the
 * rollout or the config says `pause` — starts its roll back, all as the BFF's own identity,
 * audited and notified as done by Fleetdeck on behalf of the rule. Returns the stop.
 */
export function startFailureGuard(deps: FailureGuardDeps): () => void {
  const { config, logger, rollouts, leadership } = deps;
  if (!config.promotion.failure.enabled) return () => undefined;
  const principal = selfPrincipal(FAILURE_RULE_ACTOR);
  // A claim still acting after three lease terms was abandoned: its replica lost the lease
  // (it stops acting after two thirds of one) and died or finished without saying so.
  const staleMs = 3 * config.promotion.lease.durationSeconds * 1000;
  // `<id>|<key>` being handled or handled by this replica; failed attempts: when to try again.
  const handled = new Set<string>();
  const retryAt = new Map<string, number>();
  let stopped = false;

  const consider = (r: SourceRollout | undefined) => {
    if (stopped || !r || !leadership.isLeader()) return;
    const decision = decideFailure(r, config.promotion.failure, { now: Date.now(), staleMs });
    if (!decision.act) return;
    const mark = `${r.id}|${decision.key}`;
    if (handled.has(mark) || (retryAt.get(mark) ?? 0) > Date.now()) return;
    handled.add(mark);
    act(r, decision).catch((err: unknown) => {
      handled.delete(mark);
      retryAt.set(mark, Date.now() + RETRY_MS);
      logger.warn({ err, id: r.id, wave: decision.wave }, 'the failure threshold could not act; trying again later');
    });
  };

  async function act(r: SourceRollout, d: Acting): Promise<void> {
    if (deps.hubClient && r.object) {
      const claim = await claimFailure(deps.hubClient, r.object, d.key, { staleMs });
      if (claim !== 'claimed') {
        logger.info({ id: r.id, wave: d.wave, claim }, 'failure threshold: already handled elsewhere or gone');
        return;
      }
    }
    const source = rollouts.sourceFor(r.id);
    if (!source) return;
    const ctx: ActionContext = { principal, requestId: `failure-threshold-${randomUUID()}` };
    const why = `wave ${d.wave}: ${d.failed} of ${d.total} clusters failed (failure threshold ${d.threshold})`;
    logger.warn({ id: r.id, wave: d.wave, failed: d.failed, threshold: d.threshold }, 'failure threshold reached: acting');
    const paused = await attempt(ctx, r, 'pause', d.wave, why, () => source.actions.pause(ctx, r, why));
    deps.notifier.publish({
      kind: 'failureThresholdReached',
      dedupeKey: `failureThresholdReached:${r.id}:${d.key}`,
      rollout: r,
      wave: d.wave,
      text:
        `${r.name}: ${why}. ` +
        (paused ? 'Fleetdeck paused it' : 'Fleetdeck could not pause it') +
        (d.rollback ? ' and is rolling it back.' : `; ${d.note ?? 'the roll back is offered'}.`),
    });
    const finish = async () => {
      if (deps.hubClient && r.object) await finishFailure(deps.hubClient, r.object);
    };
    if (!d.rollback || !paused) {
      // Paused (or could not pause: people are told, and the claim is kept so it is not retried in a loop).
      await finish();
      return;
    }
    // Keyed by the claim: a resumed claim meets the roll back it already made instead of making another.
    const rolled = await attempt(ctx, r, 'rollback', d.wave, why, () => source.actions.rollback(ctx, r, { once: `${r.id}|${d.key}` }));
    if (rolled) await finish();
    if (rolled?.outcome === 'done')
      deps.notifier.publish({
        kind: 'rolledBack',
        dedupeKey: `rolledBack:${r.id}:${d.key}`,
        rollout: r,
        wave: d.wave,
        text: `${r.name}: rolled back by Fleetdeck after ${why}. ${rolled.message}`,
      });
  }

  /** One action as the BFF, audited (log, history, Event on the object) whatever its outcome. */
  async function attempt(
    ctx: ActionContext,
    r: SourceRollout,
    action: 'pause' | 'rollback',
    wave: string,
    why: string,
    run: () => Promise<RolloutActionResult>,
  ): Promise<RolloutActionResult | undefined> {
    const record = (result: AuditRecord['result'], detail: string) => {
      deps.audit.record(
        {
          requestId: ctx.requestId,
          actor: FAILURE_RULE_ACTOR,
          groups: [],
          action,
          target: r.id,
          ...(r.tenant !== undefined && { tenant: r.tenant }),
          result,
          detail: `${why} — ${detail}`,
        },
        r.object,
      );
      rollouts.recordHistory(r.id, {
        at: new Date().toISOString(),
        actor: FAILURE_RULE_ACTOR,
        action,
        wave,
        result: result === 'success' ? detail : `${result}: ${detail}`,
        comment: why,
        from: 'audit',
      });
    };
    try {
      const result = await run();
      record(result.outcome === 'done' ? 'success' : 'no-op', result.code);
      return result;
    } catch (err) {
      const message = err instanceof RolloutActionError ? err.message : 'upstream failed';
      record(err instanceof RolloutActionError && err.status === 403 ? 'denied' : 'failure', message);
      logger.warn({ err, id: r.id, action }, 'failure threshold: the action failed');
      return undefined;
    }
  }

  const sweep = () => {
    for (const r of rollouts.list()) consider(r);
  };
  const unsubscribe = rollouts.onChange((change) => consider(change.after));
  // A new leader catches up on what the last one may have missed.
  const unlisten = leadership.onChange((leader) => leader && sweep());
  sweep();
  return () => {
    stopped = true;
    unsubscribe();
    unlisten();
  };
}
