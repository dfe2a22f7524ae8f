import type { DeliveryActionResult } from '@fleetdeck/shared';

import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { updateAsPerson } from '../../kube/person-writes.ts';
import type { ActionContext } from '../../rollouts/rollout-source.ts';
import { DeliveryActionError, deliveryError } from '../delivery-source.ts';

/** Where Applications live on the hub. */
export const APPLICATIONS = '/apis/argoproj.io/v1alpha1/namespaces';
const CONFLICT_RETRIES = 5;
const seg = encodeURIComponent;

/** An Application as read from the API server; every field we do not touch is sent back unchanged. */
export interface ApplicationDocument {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  operation?: { initiatedBy?: { username?: string; automated?: boolean }; [k: string]: unknown } | null;
  status?: { operationState?: { phase?: string; startedAt?: string; [k: string]: unknown } | null; [k: string]: unknown };
  [k: string]: unknown;
}

export interface SyncOptions {
  revision?: string;
  prune?: boolean;
}

/** Who asked for the operation already set, in words. */
function initiator(op: NonNullable<ApplicationDocument['operation']>): string {
  if (op.initiatedBy?.username) return op.initiatedBy.username;
  return op.initiatedBy?.automated ? 'Argo CD (automated)' : 'someone unknown';
}

/**
 * The Application with a sync asked for, as Argo CD's API server writes it
 * (util/argo SetAppOperation): the previous `status.operationState` is dropped so nobody
 * reads the last sync's result as this one's. A string when it must be refused: an
 * `operation` is already set, and the controller would run only one of the two.
 */
export function withSyncOperation(app: ApplicationDocument, user: string, options: SyncOptions): ApplicationDocument | string {
  if (app.operation) {
    const state = app.status?.operationState;
    const at = state?.phase === 'Running' || state?.phase === 'Terminating' ? state.startedAt : undefined;
    return `a sync is already running (started by ${initiator(app.operation)}${at ? ` at ${at}` : ''}); wait for it to finish`;
  }
  const { operationState: _cleared, ...status } = app.status ?? {};
  return {
    ...app,
    operation: {
      initiatedBy: { username: user },
      sync: {
        ...(options.revision !== undefined && { revision: options.revision }),
        ...(options.prune !== undefined && { prune: options.prune }),
        syncStrategy: { hook: {} },
      },
    },
    ...(app.status !== undefined && { status }),
  };
}

export const applicationPath = (app: { namespace: string; name: string }) =>
  `${APPLICATIONS}/${seg(app.namespace)}/applications/${seg(app.name)}`;

/**
 * Asks Argo CD to sync one Application without its API server, exactly as that server
 * does: read the app, refuse if `operation` is already set (a running sync would silently
 * swallow the new one), clear `status.operationState`, set `operation: {initiatedBy:
 * {username}, sync: {revision?, prune?, syncStrategy: {hook: {}}}}`, and update with the
 * read `resourceVersion` (a conflict is read again and re-decided). Written as the person
 * (impersonated). Shared by the delivery actions and the RollingSync approval.
 * The Application CRD has no status subresource, so the one update writes both.
 */
export async function requestSync(
  writer: ImpersonatingClient,
  ctx: ActionContext,
  app: { namespace: string; name: string },
  options: SyncOptions,
): Promise<DeliveryActionResult> {
  const what = `syncing Application ${app.name}`;
  const as = { errorOf: deliveryError, writer, principal: ctx.principal, tries: CONFLICT_RETRIES };
  // The read resourceVersion stays in metadata: the API server refuses the update (409) if it moved.
  await updateAsPerson<ApplicationDocument, null>(as, applicationPath(app), what, (current) => {
    const next = withSyncOperation(current, ctx.principal.user, options);
    if (typeof next === 'string') throw new DeliveryActionError(409, next);
    return { next, result: null };
  });
  const to = options.revision ? `revision ${options.revision}` : 'its target revision';
  return { outcome: 'done', message: `Sync of ${app.name} to ${to} asked${options.prune ? ' (with prune)' : ''}` };
}
