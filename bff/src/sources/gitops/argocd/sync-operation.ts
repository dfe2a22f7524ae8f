import type { DeliveryActionResult } from '@fleetdeck/shared';

import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import type { ActionContext } from '../../rollouts/rollout-source.ts';
import { DeliveryActionError } from '../delivery-source.ts';

/**
 * Asks Argo CD to sync one Application without its API server, exactly as that server
 * does: read the app, refuse if `operation` is already set (a running sync would silently
 * swallow the new one), clear `status.operationState`, set `operation: {initiatedBy:
 * {username}, sync: {revision?, prune?, syncStrategy: {hook: {}}}}`, and update with the
 * read `resourceVersion` (a conflict is read again and re-decided). Written as the person
 * (impersonated). Shared by the delivery actions and the RollingSync approval.
 * PLACEHOLDER: being built (issue 15).
 */
export function requestSync(
  _writer: ImpersonatingClient,
  _ctx: ActionContext,
  _app: { namespace: string; name: string },
  _options: { revision?: string; prune?: boolean },
): Promise<DeliveryActionResult> {
  return Promise.reject(new DeliveryActionError(502, 'not built yet'));
}
