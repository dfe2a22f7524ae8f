import type { KubeConfig } from '@kubernetes/client-node';

import type { PartialError } from '@fleetdeck/shared';

import type { Logger } from '../../../lib/logger.ts';
import type { Slim } from '../../informer-inventory.ts';
import { watchCustomResource, type CustomResourceWatch } from '../../kube/custom-resource-watch.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import type { ClusterGroupView, FleetClusterView } from '../../rancher/bundles/fleet-objects.ts';
import { clusterGroupView, fleetClusterView } from '../../rancher/bundles/reduce-objects.ts';
import type { DeliverySource, SourceDelivery } from '../delivery-source.ts';
import { AppliedCommits } from './applied-commits.ts';
import { fleetDeliveryActions } from './delivery-actions.ts';
import type { BundleDeploymentView, BundleView, GitRepoView } from './delivery-objects.ts';
import { mapFleetDelivery } from './map-delivery.ts';
import { bundleDeploymentView, bundleView, gitRepoView } from './reduce-delivery.ts';

const GROUP = 'fleet.cattle.io';
const VERSION = 'v1alpha1';
/** Changes arriving within this window are mapped once (a rollout step touches many deployments at once). */
const BURST_MS = 25;

/** What this source lists and watches on the hub with the BFF's own identity (the chart's RBAC is made from it). */
export const FLEET_DELIVERY_WATCHES = ['gitrepos', 'bundles', 'bundledeployments', 'clusters', 'clustergroups'].map((resource) => ({
  group: GROUP,
  resource,
}));

const key = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

/** Why a watch failed, for people: a missing CRD says so. */
function downReason(kind: string, err: unknown): string {
  const code =
    (err as { code?: unknown; statusCode?: unknown } | undefined)?.code ?? (err as { statusCode?: unknown } | undefined)?.statusCode;
  if (code === 404) return `Fleet ${kind}s are not served by the hub (is Rancher Fleet installed?)`;
  return `the Fleet ${kind} watch is down; showing the last known state`;
}

/**
 * Rancher Fleet GitRepos as deliveries: slim informers (list, then watch; each object
 * reduced as it arrives) on GitRepos, Bundles, BundleDeployments, Fleet Clusters and
 * ClusterGroups. A GitRepo is mapped again when it, one of its Bundles or one of their
 * BundleDeployments changes (every GitRepo when a cluster or group changes), once per burst.
 */
export function fleetDeliverySource(
  kc: KubeConfig,
  writer: ImpersonatingClient,
  options: {
    logger: Logger;
    now?: () => Date;
    /** The tenant whose namespace a GitRepo lives in (rollouts.tenantNamespace, e.g. fleet-{tenant}); none for shared ones like fleet-default. */
    tenantForNamespace?: (namespace: string) => string | undefined;
  },
): DeliverySource {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(ids: readonly string[]) => void>();
  const deliveries = new Map<string, SourceDelivery>();
  /** The delivery id of each GitRepo (by `namespace/name`), for deletions. */
  const idOfRepo = new Map<string, string>();
  const bundles = new Map<string, BundleView>();
  const bundlesOfRepo = new Map<string, Set<string>>();
  const deployments = new Map<string, BundleDeploymentView>();
  const deploymentsOfBundle = new Map<string, Set<string>>();
  const applied = new AppliedCommits();
  const dirty = new Set<string>();
  let flushing: NodeJS.Timeout | undefined;
  let stopped = false;

  const watch = <S>(kind: string, plural: string, reduce: (obj: never) => S | undefined) =>
    watchCustomResource<S>(kc, { group: GROUP, version: VERSION, plural, kind }, reduce, {
      logger,
      message: 'Fleet delivery watch failed; restarting',
    });

  const repoW = watch<GitRepoView>('GitRepo', 'gitrepos', gitRepoView);
  const bundleW = watch<BundleView>('Bundle', 'bundles', bundleView);
  const deployW = watch<BundleDeploymentView>('BundleDeployment', 'bundledeployments', bundleDeploymentView);
  const clusterW = watch<FleetClusterView>('Cluster', 'clusters', fleetClusterView);
  const groupW = watch<ClusterGroupView>('ClusterGroup', 'clustergroups', clusterGroupView);
  const all = [repoW, bundleW, deployW, clusterW, groupW];
  const kept = <S>(w: CustomResourceWatch<S>) => w.informer.list().flatMap((o) => (o.kept ? [o.kept] : []));

  function markDirty(repoKey: string | undefined): void {
    if (repoKey === undefined) return;
    dirty.add(repoKey);
    flushing ??= setTimeout(flush, BURST_MS);
  }
  const markAll = () => {
    for (const o of repoW.informer.list()) markDirty(key(o.metadata.namespace, o.metadata.name));
  };
  const repoOfBundle = (bundleKey: string) => {
    const b = bundles.get(bundleKey);
    return b?.repoName ? key(b.namespace, b.repoName) : undefined;
  };

  function flush(): void {
    flushing = undefined;
    if (stopped) return;
    const clusters = kept(clusterW);
    const groups = kept(groupW);
    const at = now();
    const changed: string[] = [];
    for (const repoKey of dirty) {
      const [namespace, name] = repoKey.split('/') as [string, string];
      const repo = repoW.informer.get(name, namespace)?.kept;
      const before = idOfRepo.get(repoKey);
      if (!repo) {
        if (before && deliveries.delete(before)) changed.push(before);
        idOfRepo.delete(repoKey);
        continue;
      }
      const repoBundles = [...(bundlesOfRepo.get(repoKey) ?? [])].flatMap((k) => bundles.get(k) ?? []);
      const repoDeployments = repoBundles.flatMap((b) =>
        [...(deploymentsOfBundle.get(key(b.namespace, b.name)) ?? [])].flatMap((k) => deployments.get(k) ?? []),
      );
      let mapped: SourceDelivery;
      try {
        mapped = mapFleetDelivery({
          repo,
          bundles: repoBundles,
          deployments: repoDeployments,
          clusters,
          groups,
          appliedOf: (bd) => applied.observe(bd, at),
        });
      } catch (err) {
        // A GitRepo shaped in a way the mapping does not expect must not stop the others.
        logger.error({ err, gitRepo: repoKey }, 'mapping a Fleet GitRepo failed');
        continue;
      }
      const tenant = options.tenantForNamespace?.(mapped.namespace);
      if (tenant !== undefined) mapped = { ...mapped, tenant };
      idOfRepo.set(repoKey, mapped.id);
      const previous = deliveries.get(mapped.id);
      if (previous && JSON.stringify(previous) === JSON.stringify(mapped)) continue;
      deliveries.set(mapped.id, mapped);
      changed.push(mapped.id);
    }
    dirty.clear();
    if (changed.length === 0) return;
    for (const l of listeners) {
      try {
        l(changed);
      } catch (err) {
        // A failing subscriber must not stop the others from hearing of the change.
        logger.error({ err }, 'a delivery change listener failed');
      }
    }
  }

  const onRepo = (o: Slim<GitRepoView>) => markDirty(key(o.metadata.namespace, o.metadata.name));
  /**
   * Clusters and groups as last mapped: an agent's check-in rewrites its Fleet Cluster's
   * status every few minutes, which changes nothing kept, and must not remap every GitRepo.
   */
  const placementInputs = new Map<string, string>();
  const onPlacementInput = (kind: string) => (o: Slim<unknown>) => {
    const k = `${kind}:${key(o.metadata.namespace, o.metadata.name)}`;
    const now = o.kept === undefined ? undefined : JSON.stringify(o.kept);
    if (placementInputs.get(k) === now) return;
    if (now === undefined) placementInputs.delete(k);
    else placementInputs.set(k, now);
    markAll();
  };
  for (const verb of ['add', 'update', 'delete'] as const) {
    repoW.informer.on(verb, onRepo);
    clusterW.informer.on(verb, onPlacementInput('cluster'));
    groupW.informer.on(verb, onPlacementInput('group'));
  }

  function dropBundle(bundleKey: string): void {
    const repoKey = repoOfBundle(bundleKey);
    if (repoKey) bundlesOfRepo.get(repoKey)?.delete(bundleKey);
    bundles.delete(bundleKey);
    markDirty(repoKey);
  }
  const onBundle = (o: Slim<BundleView>) => {
    const k = key(o.metadata.namespace, o.metadata.name);
    dropBundle(k);
    if (!o.kept) return;
    bundles.set(k, o.kept);
    const repoKey = repoOfBundle(k);
    if (!repoKey) return;
    let set = bundlesOfRepo.get(repoKey);
    if (!set) bundlesOfRepo.set(repoKey, (set = new Set()));
    set.add(k);
    markDirty(repoKey);
  };
  bundleW.informer.on('add', onBundle);
  bundleW.informer.on('update', onBundle);
  bundleW.informer.on('delete', (o) => dropBundle(key(o.metadata.namespace, o.metadata.name)));

  function dropDeployment(k: string): void {
    const bd = deployments.get(k);
    if (!bd) return;
    deployments.delete(k);
    deploymentsOfBundle.get(bd.bundleKey)?.delete(k);
    markDirty(repoOfBundle(bd.bundleKey));
  }
  const onDeployment = (o: Slim<BundleDeploymentView>) => {
    const k = key(o.metadata.namespace, o.metadata.name);
    dropDeployment(k);
    if (!o.kept) return;
    deployments.set(k, o.kept);
    let set = deploymentsOfBundle.get(o.kept.bundleKey);
    if (!set) deploymentsOfBundle.set(o.kept.bundleKey, (set = new Set()));
    set.add(k);
    markDirty(repoOfBundle(o.kept.bundleKey));
  };
  deployW.informer.on('add', onDeployment);
  deployW.informer.on('update', onDeployment);
  deployW.informer.on('delete', (o) => {
    dropDeployment(key(o.metadata.namespace, o.metadata.name));
    applied.forget(o.metadata.namespace ?? '', o.metadata.name ?? '');
  });

  const start = (w: CustomResourceWatch<unknown>) =>
    w.informer.start().catch((err: unknown) => {
      w.down = err;
      logger.warn({ err, kind: w.kind }, 'Fleet delivery watch did not start');
    });

  return {
    engines: ['fleet'],
    async start() {
      // Clusters and groups first, so the first mapping of each GitRepo already knows them.
      await Promise.all([start(clusterW), start(groupW), start(repoW)]);
      await Promise.all([start(bundleW), start(deployW)]);
      clearTimeout(flushing);
      flush();
    },
    async stop() {
      stopped = true;
      clearTimeout(flushing);
      listeners.clear();
      await Promise.all(all.map((w) => w.stop()));
    },
    list: () => [...deliveries.values()],
    get: (id) => deliveries.get(id),
    errors: (): PartialError[] =>
      all.flatMap((w) => (w.down === undefined ? [] : [{ source: 'rancher-fleet', reason: downReason(w.kind, w.down) }])),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    actions: fleetDeliveryActions(writer),
  };
}
