import type { kubeClient } from '@fleetdeck/testbed/kube-client';

/** KubeFleet's placement API on the testbed hub. */
export const PLACEMENT_API = '/apis/placement.kubernetes-fleet.io/v1beta1';
/** client-a's namespace on the hub: its own (namespaced) staged rollouts live here. */
export const CLIENT_A_NS = 'fleet-client-a';

type Hub = ReturnType<typeof kubeClient>;

/**
 * client-a's two waves as a namespaced StagedUpdateStrategy: staging (its clusters, then an
 * approval gate) and production in us-west.
 */
export async function createClientAStrategy(admin: Hub, name: string): Promise<void> {
  await admin.expectOk('POST', `${PLACEMENT_API}/namespaces/${CLIENT_A_NS}/stagedupdatestrategies`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'StagedUpdateStrategy',
      metadata: { name, namespace: CLIENT_A_NS },
      spec: {
        stages: [
          {
            name: 'staging',
            labelSelector: { matchLabels: { client: 'client-a', env: 'staging' } },
            afterStageTasks: [{ type: 'Approval' }],
          },
          { name: 'prod', labelSelector: { matchLabels: { client: 'client-a', env: 'production', region: 'us-west' } } },
        ],
      },
    },
  });
}

/** A namespaced StagedUpdateRun of `strategy` in client-a's namespace, started (state Run). */
export async function createClientARun(admin: Hub, run: { name: string; strategy: string; snapshot: string }): Promise<void> {
  await admin.expectOk('POST', `${PLACEMENT_API}/namespaces/${CLIENT_A_NS}/stagedupdateruns`, {
    body: {
      apiVersion: 'placement.kubernetes-fleet.io/v1beta1',
      kind: 'StagedUpdateRun',
      metadata: { name: run.name, namespace: CLIENT_A_NS },
      spec: {
        placementName: `${run.name}-app`,
        resourceSnapshotIndex: run.snapshot,
        stagedRolloutStrategyName: run.strategy,
        state: 'Run',
      },
    },
  });
}
