import type { BulkSyncBody, BulkSyncResult, Principal, Scope } from '@fleetdeck/shared';

import { DeliveryActionError } from '../../sources/gitops/delivery-source.ts';
import type { Services } from '../../services.ts';
import { auditFor } from './delivery-actions.ts';
import { labelMatcher } from './delivery-filter.ts';
import { syncSkip } from './delivery-preview.ts';
import type { DeliveryViews } from './delivery-views.ts';

type Result = BulkSyncResult['results'][number];

// A few at once: the hub sees a burst, not a thousand writes in parallel.
const CONCURRENCY = 8;

/**
 * Syncs the previewed apps, each checked again now: still one the person sees, still an
 * Argo CD app matching `labels`, still one they may sync and not already syncing. One
 * audit record per app and one for the bulk. Throws BadLabels.
 */
export async function bulkSync(
  req: { services: Services; principal: Principal; requestId: string; scope: Scope; views: DeliveryViews },
  body: BulkSyncBody,
): Promise<BulkSyncResult> {
  const match = labelMatcher(body.labels);
  const record = auditFor(req);
  const asked = `bulk sync of "${body.labels}"${body.prune ? ', prune' : ''}`;
  const one = async (id: string): Promise<Result> => {
    const s = req.views.one(req.scope, id);
    if (!s) {
      record('sync', id, 'denied', `${asked} — no such delivery`);
      return { id, outcome: 'skipped', message: 'no such delivery' };
    }
    const d = s.source;
    const skip =
      s.summary.engine !== 'argocd'
        ? 'not an Argo CD application'
        : !match(s.summary.labels)
          ? 'no longer matches the labels'
          : syncSkip(s);
    const source = req.services.deliveries.sourceFor(id);
    const actions = source?.actions;
    if (skip !== '' || !actions?.sync) {
      const message = skip || 'this source cannot sync';
      record('sync', id, s.summary.can.sync === '' ? 'no-op' : 'denied', `${asked} — skipped: ${message}`, d);
      return { id, outcome: 'skipped', message };
    }
    try {
      const r = await actions.sync({ principal: req.principal, requestId: req.requestId }, d, {
        ...(body.prune !== undefined && { prune: body.prune }),
      });
      record('sync', id, r.outcome === 'done' ? 'success' : 'no-op', `${asked} — ${r.message}`, d);
      return { id, outcome: r.outcome === 'done' ? 'done' : 'skipped', message: r.message };
    } catch (err) {
      const message = err instanceof DeliveryActionError ? err.message : 'upstream failed';
      if (!(err instanceof DeliveryActionError))
        req.services.logger.warn({ err, id, requestId: req.requestId }, 'bulk sync: one app failed');
      record('sync', id, err instanceof DeliveryActionError && err.status === 403 ? 'denied' : 'failure', `${asked} — ${message}`, d);
      return { id, outcome: 'failed', message };
    }
  };
  const ids = [...new Set(body.ids)];
  const results: Result[] = new Array<Result>(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      results[i] = await one(ids[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  const n = (o: Result['outcome']) => results.filter((r) => r.outcome === o).length;
  record(
    'bulk-sync',
    body.labels,
    n('failed') > 0 ? 'failure' : n('done') > 0 ? 'success' : 'no-op',
    `${asked}: ${n('done')} synced, ${n('skipped')} skipped, ${n('failed')} failed`,
  );
  return { results };
}
