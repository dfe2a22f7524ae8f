import { CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

import type { Logger } from '../../lib/logger.ts';
import { InformerInventory } from '../informer-inventory.ts';
import { fromMemberCluster, type MemberClusterObject, type PlacementLabels } from './member-cluster.ts';

type MemberCluster = KubernetesObject & MemberClusterObject;

/** KubeFleet MemberClusters (cluster.kubernetes-fleet.io/v1beta1, cluster-scoped) on the hub. */
export function kubeFleetInventory(kc: KubeConfig, labels: PlacementLabels, logger: Logger): InformerInventory<MemberCluster> {
  const api = kc.makeApiClient(CustomObjectsApi);
  return new InformerInventory<MemberCluster>(
    kc,
    {
      kind: 'kubefleet',
      path: '/apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters',
      list: () =>
        api.listClusterCustomObject({ group: 'cluster.kubernetes-fleet.io', version: 'v1beta1', plural: 'memberclusters' }) as Promise<
          KubernetesListObject<MemberCluster>
        >,
      map: (obj, now) => fromMemberCluster(obj, labels, now),
    },
    logger,
  );
}
