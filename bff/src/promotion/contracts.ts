import type { PromotionEvent, PromotionEventKind, Scope, WaveReadiness } from '@fleetdeck/shared';

import type { SourceRollout } from '../sources/rollouts/rollout-source.ts';

/**
 * The promotion-gate parts and the seams between them. Each is built in its own module and
 * wired in server.ts:
 * - readiness (readiness/*): is the wave safe to promote from, per person;
 * - approver policy (approver-policy.ts): who may approve, how many, MFA;
 * - leadership (leader-lease.ts): one replica acts on rules (a Lease on the hub);
 * - failure guard (failure-guard.ts): the failure threshold pauses and rolls back, once;
 * - notifier (notify/*): webhooks with retries and a dead-letter log;
 * - inbox (inbox.ts): the gates waiting for this person.
 */

/** Who is looking: readiness is computed over what they may see. */
export interface ReadinessViewer {
  scope: Scope;
  user: string;
}

export interface ReadinessService {
  /**
   * Readiness of one wave of a rollout, for this viewer: a constant number of upstream
   * queries whatever the wave's size (aggregated `by (cluster)`, the wave's clusters and the
   * viewer's scope injected by the PromQL enforcer). An upstream that is down makes its
   * checks `unknown`, never an exception. Throws only for a wave the rollout does not have.
   */
  evaluate(rollout: SourceRollout, wave: string, viewer: ReadinessViewer, now?: Date): Promise<WaveReadiness>;
  /**
   * The same, over every cluster of the wave (the BFF's own view, for the failure guard and
   * for deciding whether an approval needs a reason: the verdict must not depend on who asks).
   */
  evaluateUnscoped(rollout: SourceRollout, wave: string, now?: Date): Promise<WaveReadiness>;
}

/**
 * Which replica acts on rules (failure threshold, soak timers, notifications): the holder of
 * one Lease on the hub. Without a hub (demo mode) the single process always leads.
 */
export interface Leadership {
  /** This replica's holder identity (pod name or host + pid). */
  readonly identity: string;
  isLeader(): boolean;
  /** Called when this replica gains or loses the lease. Returns an unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void;
  start(): Promise<void>;
  /** Gives the lease up (so another replica takes over at once) and stops renewing. */
  stop(): Promise<void>;
}

/** A promotion event before delivery: the notifier adds the id, the link and per-webhook cluster lists. */
export interface PromotionNotice {
  kind: PromotionEventKind;
  /** The same key is delivered once per webhook, however often it is published (restarts, replicas, repeats). */
  dedupeKey: string;
  rollout: SourceRollout;
  wave?: string;
  text: string;
  at?: Date;
}

export interface Notifier {
  /** Queue a notice for every webhook that wants it (per tenant); returns at once, delivery is retried in the background. */
  publish(notice: PromotionNotice): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Deliveries that failed every retry, newest first (also logged). */
  deadLetters(): readonly { webhook: string; event: PromotionEvent; error: string; at: string }[];
}
