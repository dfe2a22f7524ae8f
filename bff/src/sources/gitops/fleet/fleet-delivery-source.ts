import type { KubeConfig } from '@kubernetes/client-node';

import type { Logger } from '../../../lib/logger.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import type { DeliverySource } from '../delivery-source.ts';

/** What this source lists and watches on the hub with the BFF's own identity (the chart's RBAC is made from it). */
export const FLEET_DELIVERY_WATCHES = ['gitrepos', 'bundles', 'bundledeployments', 'clusters', 'clustergroups'].map((resource) => ({
  group: 'fleet.cattle.io',
  resource,
}));

/** Rancher Fleet GitRepos as deliveries. PLACEHOLDER: being built (issue 15). */
export function fleetDeliverySource(
  _kc: KubeConfig,
  _writer: ImpersonatingClient,
  _options: { logger: Logger; now?: () => Date },
): DeliverySource {
  return {
    engines: ['fleet'],
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    list: () => [],
    get: () => undefined,
    errors: () => [],
    onChange: () => () => undefined,
    actions: {},
  };
}
