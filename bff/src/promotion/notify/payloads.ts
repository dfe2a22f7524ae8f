import { createHash } from 'node:crypto';

import type { PromotionEvent, PromotionEventKind } from '@fleetdeck/shared';

/**
 * What goes over the wire: the generic JSON payload is the PromotionEvent itself; the
 * Slack-compatible one (also accepted by Mattermost and Rocket.Chat incoming webhooks) is
 * derived from it. Both carry the deep link to the rollout page.
 */

/**
 * The SPA's rollout page (web/src/config/paths.ts `rollout: '/rollouts/$id'`), opened at a
 * wave through the page's `readiness` search parameter (web/src/features/rollouts/rollout-search.ts).
 */
export function rolloutAppPath(rolloutId: string, wave?: string): string {
  const path = `/rollouts/${encodeURIComponent(rolloutId)}`;
  return wave === undefined ? path : `${path}?${new URLSearchParams({ readiness: wave }).toString()}`;
}

/** Absolute deep link: the public URL (no trailing slash) + the app path. */
export function rolloutLink(publicUrl: string, rolloutId: string, wave?: string): string {
  return publicUrl.replace(/\/+$/, '') + rolloutAppPath(rolloutId, wave);
}

/**
 * Stable per occurrence and webhook: the same notice published again (a retry, a restart,
 * another replica) carries the same id, so receivers can drop repeats.
 */
export function eventId(dedupeKey: string, webhook: string): string {
  return createHash('sha256').update(dedupeKey).update('\0').update(webhook).digest('hex').slice(0, 32);
}

const TITLES: Record<PromotionEventKind, string> = {
  waveWaiting: ':hourglass_flowing_sand: Waiting for approval',
  waveFailed: ':x: Wave failed',
  failureThresholdReached: ':rotating_light: Failure threshold reached',
  rolloutCompleted: ':white_check_mark: Rollout completed',
  rolledBack: ':leftwards_arrow_with_hook: Rolled back',
};

/** Slack shows at most this many cluster names; the rest are counted. */
const MAX_NAMED_CLUSTERS = 20;

/** Slack mrkdwn treats &, < and > as control characters (links, mentions): escape them in our text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}
export type SlackBlock =
  | { type: 'section'; text: TextObject }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; elements: { type: 'button'; text: TextObject; url: string }[] };

export interface SlackPayload {
  /** The notification text (and what clients without blocks show). */
  text: string;
  blocks: SlackBlock[];
}

export function slackPayload(e: PromotionEvent): SlackPayload {
  const title = TITLES[e.kind];
  const link = `<${e.link}|Open in Fleetdeck>`;
  const named = e.clusters.slice(0, MAX_NAMED_CLUSTERS).map(escapeMrkdwn).join(', ');
  const more = e.clusters.length > MAX_NAMED_CLUSTERS ? ` and ${e.clusters.length - MAX_NAMED_CLUSTERS} more` : '';
  const context = [
    `Rollout *${escapeMrkdwn(e.rollout)}*`,
    ...(e.tenant !== undefined ? [`tenant ${escapeMrkdwn(e.tenant)}`] : []),
    ...(e.wave !== undefined ? [`wave ${escapeMrkdwn(e.wave)}`] : []),
    ...(e.clusters.length > 0 ? [`clusters: ${named}${more}`] : []),
  ].join(' · ');
  return {
    text: `${title}: ${escapeMrkdwn(e.text)} ${link}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${title}*\n${escapeMrkdwn(e.text)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open rollout' }, url: e.link }] },
    ],
  };
}

/** The request body for a webhook of this format. */
export function payloadFor(format: 'json' | 'slack', e: PromotionEvent): string {
  return JSON.stringify(format === 'slack' ? slackPayload(e) : e);
}
