import type { Scope, SyncPreview, SyncPreviewItem } from '@fleetdeck/shared';

import { labelMatcher } from './delivery-filter.ts';
import type { ScopedDelivery } from './delivery-scope.ts';
import type { DeliveryViews } from './delivery-views.ts';

export const SYNC_RUNNING = 'a sync is already running; wait for it to finish';

/** Why a bulk sync would pass over this app ("" when it would sync it). */
export function syncSkip(s: ScopedDelivery): string {
  const why = s.summary.can.sync;
  if (why === undefined) return 'not an Argo CD application';
  if (why !== '') return why;
  const argo = s.summary.argocd;
  if (argo?.syncPending || argo?.operation?.phase === 'Running' || argo?.operation?.phase === 'Terminating') return SYNC_RUNNING;
  return '';
}

/** The Argo CD apps the person sees whose labels match, each with whether a bulk sync would sync it. Throws BadLabels. */
export function syncPreview(views: DeliveryViews, scope: Scope, labels: string): SyncPreview {
  const match = labelMatcher(labels);
  const items: SyncPreviewItem[] = views
    .visible(scope)
    .filter((s) => s.summary.engine === 'argocd' && s.summary.argocd && match(s.summary.labels))
    .map((s) => ({
      id: s.summary.id,
      name: s.summary.name,
      ...(s.source.destinationCluster !== undefined && { cluster: s.source.destinationCluster }),
      sync: s.summary.argocd!.sync,
      health: s.summary.argocd!.health,
      skip: syncSkip(s),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { labels, items, total: items.length };
}
