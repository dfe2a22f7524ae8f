import { KubeConfig } from '@kubernetes/client-node';

import type { Cluster } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { tenantNamespaceMapper } from '../access/rollouts/rollout-context.ts';
import { gitopsSources, rolloutSources, type Config } from '../config/schema.ts';
import type { Logger } from '../lib/logger.ts';
import type { Leadership } from '../promotion/contracts.ts';
import { demoRolloutSource } from './demo/demo-rollouts.ts';
import { demoDeliverySource } from './demo/gitops/demo-delivery-source.ts';
import { argoDeliverySource } from './gitops/argocd/argocd-delivery-source.ts';
import { argoRollingSyncRolloutSource } from './gitops/argocd/rolling-sync-rollout-source.ts';
import type { DeliverySource } from './gitops/delivery-source.ts';
import { fleetDeliverySource } from './gitops/fleet/fleet-delivery-source.ts';
import { demoViolationSource } from './demo/violations/demo-violation-source.ts';
import type { ImpersonatingClient } from './kube/impersonating-client.ts';
import { kubeFleetRolloutSource } from './kubefleet/rollouts/kubefleet-rollout-source.ts';
import type { PrometheusClient } from './prometheus/prometheus-client.ts';
import { fleetBundleRolloutSource } from './rancher/bundles/fleet-bundle-source.ts';
import type { RolloutSource, SourceRollout } from './rollouts/rollout-source.ts';
import { withCountsOnly } from './violations/counts-only.ts';
import { createSpokeViolationSource } from './violations/spoke-violation-source.ts';
import type { ViolationSource } from './violations/violation-source.ts';

/** The configured rollout sources (see `rolloutSources`), built for the mode. */
export function createRolloutSources(
  config: Config,
  deps: {
    hub: KubeConfig | undefined;
    hubClient: ImpersonatingClient | undefined;
    logger: Logger;
    leadership: Leadership;
    onSoakRelease: (rollout: SourceRollout, wave: string) => void;
    /** The inventory's clusters now (Argo CD destinations are mapped against them). */
    clusters: () => readonly Cluster[];
  },
): RolloutSource[] {
  return rolloutSources(config).map((kind): RolloutSource => {
    const logger = deps.logger.child({ source: `rollouts-${kind}` });
    // Over the brief's fleet only: the synthetic clusters (demo.syntheticClusters) are there to
    // scale-test the fleet view, and a demo run over thousands of them would tick for nothing.
    if (kind === 'demo') return demoRolloutSource({ clusters: demoClusters(new Date()) });
    // parseConfig refuses hub-backed rollout sources without a hub inventory source.
    if (!deps.hub || !deps.hubClient) throw new Error(`rollouts.sources: "${kind}" needs the hub`);
    if (kind === 'argocd') return argoRollingSyncRolloutSource(deps.hub, deps.hubClient, { logger, clusters: deps.clusters });
    if (kind === 'kubefleet')
      return kubeFleetRolloutSource(deps.hub, deps.hubClient, {
        logger,
        tenantForNamespace: tenantNamespaceMapper(config.rollouts.tenantNamespace),
      });
    return fleetBundleRolloutSource(deps.hub, deps.hubClient, { logger, leadership: deps.leadership, onSoakRelease: deps.onSoakRelease });
  });
}

/**
 * Violations: the demo's in demo mode; in real mode the BFF's own identity watching every
 * member cluster it has a connection to (spokes.kubeconfigs), and — with Prometheus — counts
 * only for the inventory clusters without one; else none (the page says so).
 */
export function createViolationSource(
  config: Config,
  logger: Logger,
  prometheus: PrometheusClient | undefined,
  clusters: () => readonly { name: string }[],
): ViolationSource {
  if (config.mode === 'demo') return demoViolationSource({ clusters: demoClusters(new Date()) });
  const spokes = Object.entries(config.spokes.kubeconfigs).map(([cluster, path]) => {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return { cluster, kc };
  });
  const source = createSpokeViolationSource(spokes, { logger: logger.child({ source: 'violations' }) });
  // Clusters without a connection: counts only, from the metrics they send to Prometheus.
  if (!prometheus) return source;
  return withCountsOnly(source, {
    prometheus,
    clusters,
    connected: new Set(spokes.map((s) => s.cluster)),
    logger: logger.child({ source: 'violations-counts-only' }),
  });
}

/** The configured GitOps delivery sources (see `gitopsSources`), built for the mode. */
export function createDeliverySources(
  config: Config,
  deps: { hub: KubeConfig | undefined; hubClient: ImpersonatingClient | undefined; logger: Logger; clusters: () => readonly Cluster[] },
): DeliverySource[] {
  return gitopsSources(config).map((kind): DeliverySource => {
    const logger = deps.logger.child({ source: `gitops-${kind}` });
    // Over the brief's fleet only, as the demo's rollouts.
    if (kind === 'demo') return demoDeliverySource({ clusters: demoClusters(new Date()) });
    // parseConfig refuses hub-backed sources without a hub inventory source.
    if (!deps.hub || !deps.hubClient) throw new Error(`gitops.sources: "${kind}" needs the hub`);
    if (kind === 'argocd')
      return argoDeliverySource(deps.hub, deps.hubClient, { logger, clusters: deps.clusters, argocd: config.gitops.argocd });
    return fleetDeliverySource(deps.hub, deps.hubClient, {
      logger,
      tenantForNamespace: tenantNamespaceMapper(config.rollouts.tenantNamespace),
    });
  });
}
