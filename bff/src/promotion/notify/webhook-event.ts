import type { PromotionEvent, PromotionEventKind, Scope } from '@fleetdeck/shared';

import type { RolloutAccessContext } from '../../access/rollouts/rollout-context.ts';
import { visibilityOf } from '../../access/rollouts/rollout-visibility.ts';
import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import type { PromotionNotice } from '../contracts.ts';
import { eventId, rolloutLink } from './payloads.ts';

/**
 * The event one webhook receives for one notice, or nothing. A tenant's webhook hears what
 * that tenant's admins would see, judged by the same rules as the dashboard
 * (access/rollouts/rollout-visibility.ts) with a Tenant Admin's scope over that tenant:
 * - another tenant's namespaced run, or a cluster-scoped run touching none of its clusters: nothing;
 * - a run shared with other tenants: the event, naming only this tenant's clusters, with a
 *   standard text (the source's text could name the others);
 * - a wave event for a wave holding none of its clusters (of a run it does not own): nothing.
 * A `*` webhook (the Platform Admins' channel) hears everything.
 */

export interface WebhookAudience {
  name: string;
  /** A tenant id, or `*`. */
  tenant: string;
}

/** The scope a webhook speaks for: a Tenant Admin of its tenant (view is all it needs), or fleet-wide. */
export function webhookScope(tenant: string): Scope {
  return {
    grants: [
      {
        role: tenant === '*' ? 'platform-admin' : 'tenant-admin',
        tenants: tenant === '*' ? '*' : [tenant],
        environments: '*',
        namespaces: '*',
        verbs: ['view'],
      },
    ],
  };
}

/** A text that names nothing but the rollout and the wave (both visible to whoever sees the run). */
export function standardText(kind: PromotionEventKind, rollout: string, wave: string | undefined): string {
  const w = wave !== undefined ? `wave ${wave}` : 'a wave';
  switch (kind) {
    case 'waveWaiting':
      return `Rollout ${rollout}: ${w} is waiting for approval.`;
    case 'waveFailed':
      return `Rollout ${rollout}: ${w} failed.`;
    case 'failureThresholdReached':
      return `Rollout ${rollout}: ${w} reached the failure threshold; the rollout was paused.`;
    case 'rolloutCompleted':
      return `Rollout ${rollout} completed.`;
    case 'rolledBack':
      return `Rollout ${rollout} was rolled back.`;
  }
}

function clustersNamed(r: SourceRollout, wave: string | undefined): string[] {
  if (wave !== undefined) return r.waves.find((w) => w.name === wave)?.clusters.map((c) => c.cluster) ?? [];
  const all = new Set(r.touches);
  for (const w of r.waves) for (const c of w.clusters) all.add(c.cluster);
  return [...all];
}

export function webhookEvent(
  notice: PromotionNotice,
  webhook: WebhookAudience,
  ctx: RolloutAccessContext,
  publicUrl: string,
  now: Date,
): PromotionEvent | undefined {
  const r = notice.rollout;
  const v = visibilityOf({ scope: webhookScope(webhook.tenant), user: `webhook:${webhook.name}` }, r, ctx);
  if (!v) return undefined;
  const clusters = clustersNamed(r, notice.wave).filter((c) => v.isVisible(c));
  const ownRun = v.namespaced && v.tenant === webhook.tenant;
  if (webhook.tenant !== '*' && notice.wave !== undefined && clusters.length === 0 && !ownRun) return undefined;
  return {
    id: eventId(notice.dedupeKey, webhook.name),
    kind: notice.kind,
    at: (notice.at ?? now).toISOString(),
    rolloutId: r.id,
    rollout: r.name,
    ...(v.tenant !== undefined && { tenant: v.tenant }),
    ...(notice.wave !== undefined && { wave: notice.wave }),
    text: v.redacted || v.mentionsHidden(notice.text) ? standardText(notice.kind, r.name, notice.wave) : notice.text,
    link: rolloutLink(publicUrl, r.id, notice.wave),
    clusters,
  };
}
