import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

import type { Logger } from '../../lib/logger.ts';
import { InformerInventory } from '../informer-inventory.ts';
import type { InventorySource } from '../inventory.ts';
import type { PlacementLabels } from '../kubefleet/member-cluster.ts';
import { fromFleetCluster, type ClusterGroupObject, type FleetClusterObject } from './fleet-cluster.ts';

type FleetCluster = KubernetesObject & FleetClusterObject;
type ClusterGroup = KubernetesObject & ClusterGroupObject;

const GROUP = 'fleet.cattle.io';
const VERSION = 'v1alpha1';

/**
 * Rancher Fleet Clusters (all namespaces) on the hub, with their ClusterGroups: a
 * second informer keeps the groups, and a change to any group re-maps the clusters.
 */
export function rancherFleetInventory(kc: KubeConfig, labels: PlacementLabels, logger: Logger): InventorySource {
  const api = kc.makeApiClient(CustomObjectsApi);
  const groups = makeInformer<ClusterGroup>(
    kc,
    `/apis/${GROUP}/${VERSION}/clustergroups`,
    () =>
      api.listCustomObjectForAllNamespaces({ group: GROUP, version: VERSION, resourcePlural: 'clustergroups' }) as Promise<
        KubernetesListObject<ClusterGroup>
      >,
  );
  const clusters = new InformerInventory<FleetCluster>(
    kc,
    {
      kind: 'rancher-fleet',
      path: `/apis/${GROUP}/${VERSION}/clusters`,
      list: () =>
        api.listCustomObjectForAllNamespaces({ group: GROUP, version: VERSION, resourcePlural: 'clusters' }) as Promise<
          KubernetesListObject<FleetCluster>
        >,
      map: (obj, now) => fromFleetCluster(obj, labels, groups.list(), now),
    },
    logger,
  );
  const rejudge = () => clusters.rejudge();
  for (const verb of ['add', 'update', 'delete'] as const) groups.on(verb, rejudge);
  groups.on('error', (err: unknown) => {
    logger.warn({ err }, 'ClusterGroup watch failed; restarting');
    setTimeout(() => void groups.start().catch(() => undefined), 2000).unref();
  });
  return {
    kind: 'rancher-fleet',
    async start() {
      await groups.start();
      await clusters.start();
    },
    async stop() {
      await clusters.stop();
      await groups.stop();
    },
    isReady: () => clusters.isReady(),
    snapshot: () => clusters.snapshot(),
    subscribe: (l) => clusters.subscribe(l),
  };
}
