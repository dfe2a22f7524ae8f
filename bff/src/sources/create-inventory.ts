import { KubeConfig } from '@kubernetes/client-node';

import type { Config } from '../config/schema.ts';
import type { Logger } from '../lib/logger.ts';
import { DemoInventory } from './demo/demo-inventory.ts';
import type { InventorySource } from './inventory.ts';
import { inClusterKubeConfig, runsInCluster } from './kube/in-cluster.ts';
import { kubeFleetInventory } from './kubefleet/kubefleet-source.ts';
import { MergedInventory } from './merged-inventory.ts';
import { rancherFleetInventory } from './rancher/rancher-source.ts';
import { StaticFleetSource } from './static/static-source.ts';

/**
 * The hub's kubeconfig (the BFF's own identity), when a source on the hub is configured:
 * the configured file, else the pod's ServiceAccount (in-cluster mode).
 */
export function hubKubeConfig(config: Config, env: NodeJS.ProcessEnv = process.env): KubeConfig | undefined {
  if (config.mode === 'demo' || !config.inventory.sources.some((s) => s === 'kubefleet' || s === 'rancher-fleet')) return undefined;
  if (config.inventory.hubKubeconfig) {
    const kc = new KubeConfig();
    kc.loadFromFile(config.inventory.hubKubeconfig);
    return kc;
  }
  if (!runsInCluster(env))
    throw new Error('no hub kubeconfig: set inventory.hubKubeconfig (FLEETDECK_HUB_KUBECONFIG), or run in a pod (in-cluster mode)');
  return inClusterKubeConfig({ env });
}

/** The configured inventory sources, merged in order; demo mode is the demo fleet alone. */
export function createInventory(config: Config, hub: KubeConfig | undefined, logger: Logger): InventorySource {
  const demo = () =>
    new DemoInventory({ syntheticClusters: config.demo.syntheticClusters, heartbeatMs: config.demo.heartbeatSeconds * 1000 });
  if (config.mode === 'demo') return demo();
  const labels = { tenantLabel: config.inventory.tenantLabel, environmentLabel: config.inventory.environmentLabel };
  const sources = config.inventory.sources.map((kind): InventorySource => {
    switch (kind) {
      case 'demo':
        return demo();
      case 'kubefleet':
        return kubeFleetInventory(hub!, labels, logger.child({ source: kind }));
      case 'rancher-fleet':
        return rancherFleetInventory(hub!, labels, logger.child({ source: kind }));
      case 'static':
        return new StaticFleetSource(config.inventory.staticFile!, labels, { logger: logger.child({ source: kind }) });
    }
  });
  return sources.length === 1 ? sources[0]! : new MergedInventory(sources);
}
