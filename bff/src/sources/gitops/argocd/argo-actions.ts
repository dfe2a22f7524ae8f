import type { DeliveryActions, SourceDelivery } from '../delivery-source.ts';
import { DeliveryActionError, deliveryError } from '../delivery-source.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { callAsPerson, refusal, succeeded } from '../../kube/person-writes.ts';
import { applicationPath, requestSync } from './sync-operation.ts';

export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';

/** The Application a delivery is; a delivery of another engine has none here. */
function appOf(d: SourceDelivery): { namespace: string; name: string } {
  if (d.engine !== 'argocd') throw new DeliveryActionError(400, 'Not an Argo CD Application');
  return { namespace: d.namespace, name: d.name };
}

/**
 * The Argo CD writes, each made as the person (impersonated; the API server's RBAC applies
 * too). Argo CD has no pause. Sync sets `operation` as its API server does
 * (sync-operation.ts); refresh asks its controller to compare again, as the UI's button does,
 * with the annotation it removes once done.
 */
export function argoDeliveryActions(writer: ImpersonatingClient): DeliveryActions {
  return {
    sync: (ctx, d, options) => requestSync(writer, ctx, appOf(d), options),
    async refresh(ctx, d, hard) {
      const app = appOf(d);
      const mode = hard ? 'hard' : 'normal';
      const patch = { metadata: { annotations: { [REFRESH_ANNOTATION]: mode } } };
      const what = `refreshing Application ${app.name}`;
      const res = await callAsPerson(deliveryError, writer, ctx.principal, 'PATCH', applicationPath(app), what, {
        body: patch,
        contentType: 'application/merge-patch+json',
      });
      if (!succeeded(res)) throw refusal(deliveryError, res, what);
      return {
        outcome: 'done',
        message: `${hard ? 'Hard refresh' : 'Refresh'} of ${app.name} asked: Argo CD compares it with ${hard ? 'freshly rendered manifests' : 'git'} again`,
      };
    },
  };
}
