import { CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

import type { Logger } from '../../lib/logger.ts';
import { InformerInventory } from '../informer-inventory.ts';
import { StringPool } from './liveness.ts';
import { keepMemberCluster, type MemberClusterObject, type PlacementLabels } from './member-cluster.ts';

type MemberCluster = KubernetesObject & MemberClusterObject;

/** What this source lists and watches on the hub with the BFF's own identity (the chart's RBAC is made from it). */
export const KUBEFLEET_INVENTORY_WATCHES = [{ group: 'cluster.kubernetes-fleet.io', resource: 'memberclusters' }] as const;
const [MEMBER_CLUSTERS] = KUBEFLEET_INVENTORY_WATCHES;

/** KubeFleet MemberClusters (cluster.kubernetes-fleet.io/v1beta1, cluster-scoped) on the hub. */
export function kubeFleetInventory(kc: KubeConfig, labels: PlacementLabels, logger: Logger): InformerInventory<MemberCluster> {
  const api = kc.makeApiClient(CustomObjectsApi);
  // Label keys and values, condition types and reasons repeat across thousands of clusters: keep one copy each.
  const pool = new StringPool();
  return new InformerInventory<MemberCluster>(
    kc,
    {
      kind: 'kubefleet',
      path: `/apis/${MEMBER_CLUSTERS.group}/v1beta1/${MEMBER_CLUSTERS.resource}`,
      list: (cont, limit) =>
        api.listClusterCustomObject({
          group: MEMBER_CLUSTERS.group,
          version: 'v1beta1',
          plural: MEMBER_CLUSTERS.resource,
          limit,
          ...(cont && { _continue: cont }),
        }) as Promise<KubernetesListObject<MemberCluster>>,
      keep: (obj, now) => keepMemberCluster(obj, labels, now, pool),
    },
    logger,
  );
}
