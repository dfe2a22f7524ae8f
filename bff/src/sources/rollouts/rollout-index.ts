import { CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

import type { FleetRollouts, PartialError } from '@fleetdeck/shared';

import type { Logger } from '../../lib/logger.ts';
import { slimInformer } from '../informer-inventory.ts';
import { activeRunClusters, type StagedUpdateRunObject } from './active-runs.ts';

type Run = KubernetesObject & StagedUpdateRunObject;
/** All the index keeps of a run (its status lists every cluster it updates, with conditions). */
type ActiveRun = ReturnType<typeof activeRunClusters>;
/** Each entry also names every cluster its run touches, so a person's view can be judged. */
export type RunsByCluster = Map<string, (FleetRollouts['clusters'][string][number] & { touches: string[] })[]>;

/** Active rollouts per cluster, for the fleet at a glance. */
export interface RolloutIndex {
  start(): Promise<void>;
  stop(): Promise<void>;
  byCluster(): { clusters: RunsByCluster; errors: PartialError[] };
}

export const EMPTY_ROLLOUT_INDEX: RolloutIndex = {
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
  byCluster: () => ({ clusters: new Map(), errors: [] }),
};

/**
 * KubeFleet staged update runs on the hub (cluster-scoped and the tenants' namespaced
 * twins), followed by slim informers like the inventory: each run is reduced to the
 * clusters it touches and its state as it arrives, never kept raw.
 */
export function kubeFleetRolloutIndex(kc: KubeConfig, logger: Logger): RolloutIndex {
  const api = kc.makeApiClient(CustomObjectsApi);
  const group = 'placement.kubernetes-fleet.io';
  const version = 'v1beta1';
  const informers = [
    slimInformer<Run, ActiveRun>(
      kc,
      `/apis/${group}/${version}/clusterstagedupdateruns`,
      (cont, limit) =>
        api.listClusterCustomObject({
          group,
          version,
          plural: 'clusterstagedupdateruns',
          limit,
          ...(cont && { _continue: cont }),
        }) as Promise<KubernetesListObject<Run>>,
      activeRunClusters,
    ),
    slimInformer<Run, ActiveRun>(
      kc,
      `/apis/${group}/${version}/stagedupdateruns`,
      (cont, limit) =>
        api.listCustomObjectForAllNamespaces({
          group,
          version,
          resourcePlural: 'stagedupdateruns',
          limit,
          ...(cont && { _continue: cont }),
        }) as Promise<KubernetesListObject<Run>>,
      activeRunClusters,
    ),
  ];
  const errors = new Map<number, string>();
  let stopped = false;
  informers.forEach((inf, i) => {
    inf.on('connect', () => errors.delete(i));
    inf.on('error', (err: unknown) => {
      errors.set(i, `rollout watch failed: ${(err as Error)?.message ?? String(err)}`);
      logger.warn({ err }, 'rollout watch failed; restarting');
      if (!stopped) setTimeout(() => void inf.start().catch(() => undefined), 2000).unref();
    });
  });
  return {
    async start() {
      await Promise.all(informers.map((i) => i.start()));
    },
    async stop() {
      stopped = true;
      await Promise.all(informers.map((i) => i.stop()));
    },
    byCluster() {
      const clusters: RunsByCluster = new Map();
      for (const inf of informers) {
        for (const run of inf.list()) {
          const active = run.kept;
          if (!active || !run.metadata.name) continue;
          for (const c of active.clusters) {
            const list = clusters.get(c) ?? [];
            list.push({
              run: run.metadata.name,
              ...(run.metadata.namespace && { namespace: run.metadata.namespace }),
              state: active.state,
              touches: active.clusters,
            });
            clusters.set(c, list);
          }
        }
      }
      return { clusters, errors: [...errors.values()].map((reason) => ({ source: 'hub', reason })) };
    },
  };
}
