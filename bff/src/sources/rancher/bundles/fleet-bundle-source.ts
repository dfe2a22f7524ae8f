import type { KubeConfig } from '@kubernetes/client-node';

import type { PartialError } from '@fleetdeck/shared';

import type { Logger } from '../../../lib/logger.ts';
import type { Leadership } from '../../../promotion/contracts.ts';
import type { Slim } from '../../informer-inventory.ts';
import { watchCustomResource, type CustomResourceWatch } from '../../kube/custom-resource-watch.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { rolloutId, type RolloutSource, type SourceRollout } from '../../rollouts/rollout-source.ts';
import { fleetBundleActions, type BundleRefs } from './bundle-actions.ts';
import type { BundleDeploymentView, BundleView, ClusterGroupView, FleetClusterView, GitRepoView } from './fleet-objects.ts';
import { approvalRevision } from './gating-annotations.ts';
import { createGatingState } from './gating-state.ts';
import { startHoldReconciler, type HoldReconciler } from './hold-reconciler.ts';
import { mapBundleGated } from './map-bundle.ts';
import { bundleDeploymentView, bundleView, clusterGroupView, fleetClusterView, gitRepoView } from './reduce-objects.ts';

const GROUP = 'fleet.cattle.io';
const VERSION = 'v1alpha1';
/** Changes arriving within this window are mapped once (a rollout step touches many deployments at once). */
const BURST_MS = 25;
/** What this source lists and watches on the hub with the BFF's own identity (the chart's RBAC is made from it). */
const PLURALS = {
  bundles: 'bundles',
  deployments: 'bundledeployments',
  repos: 'gitrepos',
  clusters: 'clusters',
  groups: 'clustergroups',
} as const;
export const FLEET_BUNDLE_WATCHES = Object.values(PLURALS).map((resource) => ({ group: GROUP, resource }));
const key = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

/**
 * Rancher Fleet bundles on the hub as rollouts: slim informers (list, then watch; each
 * object reduced to what the mapping reads as it arrives) on Bundles,
 * BundleDeployments, GitRepos, Fleet Clusters and ClusterGroups. A bundle's rollout is
 * recomputed when it, one of its BundleDeployments or its GitRepo changes (every
 * bundle when a cluster or group changes, which is rare), once per burst. The
 * inventory adapter's informers keep neither the paused flag, the status namespace
 * nor the group labels, so this source keeps its own.
 */
export function fleetBundleRolloutSource(
  kc: KubeConfig,
  writer: ImpersonatingClient,
  options: {
    logger: Logger;
    now?: () => Date;
    /**
     * Gated waves (`fleetdeck.dev/gated-waves`): the replica holding this leads the holds
     * (pauses and releases Fleet Clusters as the BFF's own identity). Without it, gates are
     * shown and approvals recorded, but nothing holds clusters.
     */
    leadership?: Leadership;
    /** A wave was released by soak time (by the leader, once): the caller audits it on behalf of the rule. */
    onSoakRelease?: (rollout: SourceRollout, wave: string) => void;
  },
): RolloutSource {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(id: string) => void>();
  const rollouts = new Map<string, SourceRollout>();
  const bundles = new Map<string, BundleView>();
  const deploymentsByBundle = new Map<string, Map<string, BundleDeploymentView>>();
  /** The bundle of each deployment, for its deletion (whose event carries no reduced object). */
  const bundleOfDeployment = new Map<string, string>();
  const dirty = new Set<string>();
  let flushing: NodeJS.Timeout | undefined;
  let stopped = false;
  let started = false;
  const gating = createGatingState(deploymentsByBundle, now);
  let holds: HoldReconciler | undefined;

  const watch = <S>(kind: string, plural: string, reduce: (obj: never) => S | undefined) =>
    watchCustomResource<S>(kc, { group: GROUP, version: VERSION, plural, kind }, reduce, {
      logger,
      message: 'Fleet watch failed; restarting',
    });

  const bundleW = watch<BundleView>('Bundle', PLURALS.bundles, bundleView);
  const deployW = watch<BundleDeploymentView>('BundleDeployment', PLURALS.deployments, bundleDeploymentView);
  const repoW = watch<GitRepoView>('GitRepo', PLURALS.repos, gitRepoView);
  const clusterW = watch<FleetClusterView>('Cluster', PLURALS.clusters, fleetClusterView);
  const groupW = watch<ClusterGroupView>('ClusterGroup', PLURALS.groups, clusterGroupView);
  const all = [bundleW, deployW, repoW, clusterW, groupW];

  const kept = <S>(w: CustomResourceWatch<S>) => w.informer.list().flatMap((o) => (o.kept ? [o.kept] : []));

  function markDirty(bundleKey: string): void {
    dirty.add(bundleKey);
    flushing ??= setTimeout(flush, BURST_MS);
  }
  const markAll = () => {
    for (const k of bundles.keys()) markDirty(k);
  };

  function flush(): void {
    flushing = undefined;
    if (stopped) return;
    const clusters = kept(clusterW);
    const groups = kept(groupW);
    const bundlesOn = gating.bundlesOn();
    const at = now();
    for (const k of dirty) {
      const bundle = bundles.get(k);
      const before = bundle && rollouts.get(idOf(bundle));
      if (!bundle) continue;
      const gitRepo = bundle.repoName ? repoW.informer.get(bundle.repoName, bundle.namespace)?.kept : undefined;
      let mapped: SourceRollout;
      try {
        const result = mapBundleGated({
          bundle,
          deployments: [...(deploymentsByBundle.get(k)?.values() ?? [])],
          gitRepo,
          clusters,
          groups,
          bundlesOn,
          now: at,
        });
        mapped = result.rollout;
        gating.update(k, result);
      } catch (err) {
        // A bundle shaped in a way the mapping does not expect must not stop the others (or the process).
        logger.error({ err, bundle: k }, 'mapping a Fleet bundle failed');
        continue;
      }
      const { updatedAt: _was, ...previous } = before ?? {};
      if (before && JSON.stringify(previous) === JSON.stringify(mapped)) continue;
      rollouts.set(mapped.id, { ...mapped, updatedAt: now().toISOString() });
      emit(mapped.id);
    }
    dirty.clear();
    if (!stopped) gating.schedule(markDirty);
    holds?.request();
  }

  const idOf = (b: BundleView) => rolloutId('rancher-fleet', b.namespace, b.name);
  const emit = (id: string) => {
    for (const l of listeners) {
      try {
        l(id);
      } catch (err) {
        // A failing subscriber must not stop the others from hearing of the change.
        logger.error({ err, id }, 'a rollout change listener failed');
      }
    }
  };

  const onBundle = (o: Slim<BundleView>) => {
    if (!o.kept) return;
    bundles.set(key(o.kept.namespace, o.kept.name), o.kept);
    markDirty(key(o.kept.namespace, o.kept.name));
  };
  bundleW.informer.on('add', onBundle);
  bundleW.informer.on('update', onBundle);
  bundleW.informer.on('delete', (o) => {
    const k = key(o.metadata.namespace, o.metadata.name);
    const gone = bundles.get(k);
    bundles.delete(k);
    gating.forget(k);
    holds?.request();
    if (!gone) return;
    rollouts.delete(idOf(gone));
    emit(idOf(gone));
  });

  const onDeployment = (o: Slim<BundleDeploymentView>) => {
    const k = key(o.metadata.namespace, o.metadata.name);
    const previousBundle = bundleOfDeployment.get(k);
    // A deployment arriving on a cluster changes which bundles a gated wave's hold also holds.
    if (!previousBundle) for (const g of gating.gated) markDirty(g);
    if (previousBundle && previousBundle !== o.kept?.bundleKey) dropDeployment(k);
    if (!o.kept) return;
    bundleOfDeployment.set(k, o.kept.bundleKey);
    let byName = deploymentsByBundle.get(o.kept.bundleKey);
    if (!byName) deploymentsByBundle.set(o.kept.bundleKey, (byName = new Map<string, BundleDeploymentView>()));
    byName.set(k, o.kept);
    markDirty(o.kept.bundleKey);
  };
  function dropDeployment(k: string): void {
    const b = bundleOfDeployment.get(k);
    if (b === undefined) return;
    bundleOfDeployment.delete(k);
    deploymentsByBundle.get(b)?.delete(k);
    markDirty(b);
    for (const g of gating.gated) markDirty(g);
  }
  deployW.informer.on('add', onDeployment);
  deployW.informer.on('update', onDeployment);
  deployW.informer.on('delete', (o) => dropDeployment(key(o.metadata.namespace, o.metadata.name)));

  const onRepo = (o: Slim<GitRepoView>) => {
    for (const [k, b] of bundles) if (b.namespace === o.metadata.namespace && b.repoName === o.metadata.name) markDirty(k);
  };
  for (const verb of ['add', 'update', 'delete'] as const) {
    repoW.informer.on(verb, onRepo);
    clusterW.informer.on(verb, markAll);
    groupW.informer.on(verb, markAll);
  }

  const refsOf = (rollout: SourceRollout): BundleRefs | undefined => {
    const b = [...bundles.values()].find((x) => idOf(x) === rollout.id);
    if (!b) return undefined;
    return {
      bundle: { namespace: b.namespace, name: b.name },
      revision: approvalRevision(b),
      ...(b.repoName && { gitRepo: { namespace: b.namespace, name: b.repoName } }),
    };
  };

  return {
    kinds: ['rancher-fleet'],
    async start() {
      // Clusters and groups first, so the first mapping of each bundle already knows them.
      await Promise.all([clusterW.informer.start(), groupW.informer.start(), repoW.informer.start()]);
      await Promise.all([bundleW.informer.start(), deployW.informer.start()]);
      started = true;
      if (options.leadership) {
        holds = startHoldReconciler({
          writer,
          logger: logger.child({ component: 'gated-waves' }),
          leadership: options.leadership,
          snapshot: () => ({
            complete: started && all.every((w) => w.down === undefined),
            clusters: kept(clusterW),
            claims: gating.claims,
            soakReleased: gating.soakReleased,
          }),
          onSoakRelease: (bundleKey, wave) => {
            const b = bundles.get(bundleKey);
            const r = b && rollouts.get(idOf(b));
            if (r) options.onSoakRelease?.(r, wave);
          },
        });
      }
      clearTimeout(flushing);
      flush();
    },
    async stop() {
      stopped = true;
      holds?.stop();
      gating.stop();
      clearTimeout(flushing);
      listeners.clear();
      await Promise.all(all.map((w) => w.stop()));
    },
    list: () => [...rollouts.values()],
    get: (id) => rollouts.get(id),
    errors: (): PartialError[] =>
      all
        .filter((w) => w.down !== undefined)
        .map((w) => ({ source: 'rancher-fleet', reason: `the ${w.kind} watch is down; showing the last known state` })),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    actions: fleetBundleActions(writer, refsOf),
  };
}
