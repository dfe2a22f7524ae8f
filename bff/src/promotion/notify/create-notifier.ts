import type { PromotionEvent } from '@fleetdeck/shared';

import { currentContext } from '../../access/rollouts/rollout-context.ts';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/logger.ts';
import type { InventorySource } from '../../sources/inventory.ts';
import type { Leadership, Notifier, PromotionNotice } from '../contracts.ts';
import type { Webhook } from '../promotion-config.ts';
import { BoundedKeySet, Ring } from './bounded.ts';
import { deliver, type RetryPolicy } from './deliver.ts';
import { payloadFor } from './payloads.ts';
import { webhookEvent } from './webhook-event.ts';

export interface NotifierDeps {
  config: Config;
  logger: Logger;
  inventory: InventorySource;
  leadership: Leadership;
  /** The dashboard's public URL (deep links). */
  publicUrl: string;
  /** Where bearer tokens are read (`tokenEnv`); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

/** (webhook, dedupeKey) pairs remembered: a repeat of one of these is not sent again. */
const DEDUPE_KEYS = 10_000;
const DEAD_LETTERS = 100;
/** Deliveries queued or retrying at once; beyond it a notice goes straight to the dead letters. */
const MAX_IN_FLIGHT = 500;

interface Target {
  webhook: Webhook;
  token: string | undefined;
}

export type DeadLetter = ReturnType<Notifier['deadLetters']>[number];

/**
 * Promotion events to webhooks. Only the leader replica sends: a notice published on
 * another replica is dropped (that replica's leader publishes its own from its own rollout
 * watch). The same dedupeKey goes once to each webhook (bounded memory; across restarts and
 * replicas the event id stays the same, so receivers can drop repeats). Demo mode never
 * reaches a real system: its webhooks are ignored, with a warning at start.
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  const { config, logger, leadership } = deps;
  const settings = config.promotion.notifications;
  const policy: RetryPolicy = {
    attempts: settings.attempts,
    backoffMs: settings.backoffSeconds * 1000,
    timeoutMs: settings.timeoutSeconds * 1000,
  };
  const now = deps.now ?? (() => new Date());
  const sent = new BoundedKeySet(DEDUPE_KEYS);
  const dead = new Ring<DeadLetter>(DEAD_LETTERS);
  const inFlight = new Set<Promise<void>>();
  let stopping = new AbortController();
  let targets: Target[] = [];
  let running = false;

  function resolveTargets(): Target[] {
    if (settings.webhooks.length === 0) return [];
    if (config.mode === 'demo') {
      logger.warn(
        { webhooks: settings.webhooks.map((w) => w.name) },
        'demo mode: notification webhooks are ignored (the demo fleet never notifies a real system)',
      );
      return [];
    }
    const env = deps.env ?? process.env;
    const out: Target[] = [];
    for (const webhook of settings.webhooks) {
      const token = webhook.tokenEnv !== undefined ? env[webhook.tokenEnv] : undefined;
      if (webhook.tokenEnv !== undefined && !token) {
        // Sending without the token would only collect 401s: say so once, loudly, instead.
        logger.error({ webhook: webhook.name, tokenEnv: webhook.tokenEnv }, 'webhook disabled: its token variable is not set');
        continue;
      }
      out.push({ webhook, token });
    }
    return out;
  }

  function deadLetter(webhook: string, event: PromotionEvent, error: string, attempts: number): void {
    dead.push({ webhook, event, error, at: now().toISOString() });
    logger.error(
      { webhook, eventId: event.id, kind: event.kind, rolloutId: event.rolloutId, attempts, error },
      'notification not delivered',
    );
  }

  function send(target: Target, event: PromotionEvent): void {
    const { webhook } = target;
    if (inFlight.size >= MAX_IN_FLIGHT) {
      deadLetter(webhook.name, event, 'too many deliveries in flight', 0);
      return;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'fleetdeck-notifier',
      'x-fleetdeck-event-id': event.id,
      ...(target.token !== undefined && { authorization: `Bearer ${target.token}` }),
    };
    const signal = stopping.signal;
    const job = deliver({ url: webhook.url, headers, body: payloadFor(webhook.format, event) }, policy, signal, {
      onRetry: (n, error, delayMs) =>
        logger.warn({ webhook: webhook.name, eventId: event.id, attempt: n, error, delayMs }, 'notification retry'),
    })
      .then((result) => {
        if (result.delivered)
          logger.info({ webhook: webhook.name, eventId: event.id, kind: event.kind, attempts: result.attempts }, 'notification delivered');
        else deadLetter(webhook.name, event, result.error, result.attempts);
      })
      .catch(() => {
        if (!signal.aborted) return;
        deadLetter(webhook.name, event, 'the notifier stopped before delivery', 0);
      })
      .finally(() => inFlight.delete(job));
    inFlight.add(job);
  }

  function publish(notice: PromotionNotice): void {
    if (!running || targets.length === 0) return;
    if (!leadership.isLeader()) {
      logger.debug({ kind: notice.kind, dedupeKey: notice.dedupeKey }, 'not the leader: notice dropped');
      return;
    }
    const ctx = currentContext(deps.inventory, config.rollouts.tenantNamespace);
    const at = now();
    for (const target of targets) {
      const { webhook } = target;
      if (!webhook.events.includes(notice.kind)) continue;
      const event = webhookEvent(notice, webhook, ctx, deps.publicUrl, at);
      if (!event) continue;
      if (!sent.add(`${webhook.name}\0${notice.dedupeKey}`)) continue;
      send(target, event);
    }
  }

  return {
    publish(notice) {
      // Called from watch callbacks: a bug here must not break the rollout feed.
      try {
        publish(notice);
      } catch (err) {
        logger.error({ err, kind: notice.kind }, 'notice could not be published');
      }
    },
    start() {
      targets = resolveTargets();
      stopping = new AbortController();
      running = true;
      if (targets.length > 0) logger.info({ webhooks: targets.map((t) => t.webhook.name) }, 'notification webhooks enabled');
      return Promise.resolve();
    },
    async stop() {
      running = false;
      stopping.abort();
      await Promise.all([...inFlight]);
    },
    deadLetters: () => dead.newestFirst(),
  };
}
