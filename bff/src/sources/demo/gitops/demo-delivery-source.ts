import type { Cluster } from '@fleetdeck/shared';

import type { DeliverySource } from '../../gitops/delivery-source.ts';

/** The demo fleet's GitRepos and Applications, moving in time. PLACEHOLDER: being built (issue 15). */
export function demoDeliverySource(_options: { clusters: readonly Cluster[]; now?: () => Date }): DeliverySource {
  return {
    engines: ['fleet', 'argocd'],
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    list: () => [],
    get: () => undefined,
    errors: () => [],
    onChange: () => () => undefined,
    actions: {},
  };
}
