import { CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

import type { Logger } from '../../lib/logger.ts';
import { InformerInventory, slimInformer } from '../informer-inventory.ts';
import type { InventorySource } from '../inventory.ts';
import { StringPool } from '../kubefleet/liveness.ts';
import type { PlacementLabels } from '../kubefleet/member-cluster.ts';
import { keepFleetCluster, rejudgeFleetCluster, type ClusterGroupObject, type FleetClusterObject } from './fleet-cluster.ts';

type FleetCluster = KubernetesObject & FleetClusterObject;
type ClusterGroup = KubernetesObject & ClusterGroupObject;

const GROUP = 'fleet.cattle.io';
const VERSION = 'v1alpha1';

/** What this source lists and watches on the hub with the BFF's own identity (the chart's RBAC is made from it). */
export const RANCHER_INVENTORY_WATCHES = [
  { group: GROUP, resource: 'clusters' },
  { group: GROUP, resource: 'clustergroups' },
] as const;
const [CLUSTERS, CLUSTER_GROUPS] = RANCHER_INVENTORY_WATCHES;

/**
 * Rancher Fleet Clusters (all namespaces) on the hub, with their ClusterGroups: a
 * second informer keeps the groups (name, namespace and selector only), and a change
 * to any group re-judges the clusters.
 */
export function rancherFleetInventory(kc: KubeConfig, labels: PlacementLabels, logger: Logger): InventorySource {
  const api = kc.makeApiClient(CustomObjectsApi);
  const list =
    <T extends KubernetesObject>(resourcePlural: string) =>
    (cont: string | undefined, limit: number) =>
      api.listCustomObjectForAllNamespaces({
        group: GROUP,
        version: VERSION,
        resourcePlural,
        limit,
        ...(cont && { _continue: cont }),
      }) as Promise<KubernetesListObject<T>>;
  const groups = slimInformer<ClusterGroup, ClusterGroupObject>(
    kc,
    `/apis/${GROUP}/${VERSION}/${CLUSTER_GROUPS.resource}`,
    list<ClusterGroup>(CLUSTER_GROUPS.resource),
    (g) => ({
      metadata: {
        ...(g.metadata?.name !== undefined && { name: g.metadata.name }),
        ...(g.metadata?.namespace !== undefined && { namespace: g.metadata.namespace }),
      },
      ...(g.spec && { spec: { ...(g.spec.selector && { selector: g.spec.selector }) } }),
    }),
  );
  // Read once per change of the groups, not once per cluster judged.
  let groupList: ClusterGroupObject[] | undefined;
  const currentGroups = () => (groupList ??= groups.list().flatMap((g) => (g.kept ? [g.kept] : [])));
  const pool = new StringPool();
  const clusters = new InformerInventory<FleetCluster>(
    kc,
    {
      kind: 'rancher-fleet',
      path: `/apis/${GROUP}/${VERSION}/${CLUSTERS.resource}`,
      list: list<FleetCluster>(CLUSTERS.resource),
      keep: (obj, now) => keepFleetCluster(obj, labels, currentGroups(), now, pool),
      rejudge: (kept, now) => rejudgeFleetCluster(kept, currentGroups(), now),
    },
    logger,
  );
  const rejudge = () => {
    groupList = undefined;
    clusters.rejudge();
  };
  for (const verb of ['add', 'update', 'delete'] as const) groups.on(verb, rejudge);
  let stopped = false;
  groups.on('error', (err: unknown) => {
    logger.warn({ err }, 'ClusterGroup watch failed; restarting');
    setTimeout(() => {
      if (!stopped) void groups.start().catch(() => undefined);
    }, 2000).unref();
  });
  return {
    kind: 'rancher-fleet',
    async start() {
      await groups.start();
      await clusters.start();
    },
    async stop() {
      stopped = true;
      await clusters.stop();
      await groups.stop();
    },
    isReady: () => clusters.isReady(),
    snapshot: () => clusters.snapshot(),
    subscribe: (l) => clusters.subscribe(l),
  };
}
