import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { spawnService, type Service } from './proc/service.ts';

/**
 * The simulated external parts a real fleet has around its hub, each its own process
 * (not part of Fleetdeck): the KubeFleet controller, the Rancher Fleet controller, the
 * member agents' heartbeats, and Argo CD.
 */
export function spawnStandins(opts: {
  runDir: string;
  hubKubeconfig: string;
  secondsPerCluster: number;
  /** Clusters whose member agents heartbeat (the seed's healthy ones). */
  healthyClusters: readonly string[];
}): { controller: Service; bundleController: Service; agents: Service; argocd: Service } {
  const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
  const controller = spawnService(
    'fleet-controller-standin',
    process.execPath,
    [script('./controller/main.ts'), '--kubeconfig', opts.hubKubeconfig, '--seconds-per-cluster', String(opts.secondsPerCluster)],
    { logFile: join(opts.runDir, 'fleet-controller.log') },
  );
  // The Rancher Fleet stand-in: stages and releases BundleDeployments partition by partition.
  const bundleController = spawnService(
    'rancher-fleet-standin',
    process.execPath,
    [script('./controller/bundles/main.ts'), '--kubeconfig', opts.hubKubeconfig, '--seconds-per-cluster', String(opts.secondsPerCluster)],
    { logFile: join(opts.runDir, 'rancher-fleet-controller.log') },
  );
  // The member agents' heartbeats: without them the seeded clusters look unreachable minutes after start.
  const agents = spawnService(
    'member-agents-standin',
    process.execPath,
    [script('./agents/main.ts'), '--kubeconfig', opts.hubKubeconfig, '--clusters', opts.healthyClusters.join(',')],
    { logFile: join(opts.runDir, 'member-agents.log') },
  );
  // The Argo CD stand-in: runs syncs asked for through `operation`, reconciles refreshes, advances RollingSync sets.
  const argocd = spawnService('argocd-standin', process.execPath, [script('./argocd/main.ts'), '--kubeconfig', opts.hubKubeconfig], {
    logFile: join(opts.runDir, 'argocd.log'),
  });
  return { controller, bundleController, agents, argocd };
}
