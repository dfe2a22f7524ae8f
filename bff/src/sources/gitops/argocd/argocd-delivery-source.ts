import type { KubeConfig } from '@kubernetes/client-node';

import type { Cluster } from '@fleetdeck/shared';

import type { Config } from '../../../config/schema.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import type { DeliverySource } from '../delivery-source.ts';

/** What this source lists and watches on the hub with the BFF's own identity (the chart's RBAC is made from it). */
export const ARGOCD_DELIVERY_WATCHES = ['applications', 'applicationsets'].map((resource) => ({ group: 'argoproj.io', resource }));

/** Argo CD Applications as deliveries. PLACEHOLDER: being built (issue 15). */
export function argoDeliverySource(
  _kc: KubeConfig,
  _writer: ImpersonatingClient,
  _options: { logger: Logger; clusters: () => readonly Cluster[]; argocd: Config['gitops']['argocd']; now?: () => Date },
): DeliverySource {
  return {
    engines: ['argocd'],
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    list: () => [],
    get: () => undefined,
    errors: () => [],
    onChange: () => () => undefined,
    actions: {},
  };
}
