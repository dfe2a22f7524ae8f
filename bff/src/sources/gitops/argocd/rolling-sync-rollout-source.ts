import type { KubeConfig } from '@kubernetes/client-node';

import type { Cluster, PartialError } from '@fleetdeck/shared';

import type { Logger } from '../../../lib/logger.ts';
import type { Slim } from '../../informer-inventory.ts';
import { watchCustomResource } from '../../kube/custom-resource-watch.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import { RolloutActionError, rolloutId, type RolloutActions, type RolloutSource } from '../../rollouts/rollout-source.ts';
import { destinationIndex, mapDestination, type DestinationIndex } from './destination-map.ts';
import { approveStep, type HeldSet } from './rolling-sync-approve.ts';
import { mapAppSet } from './rolling-sync-map.ts';
import { appSetView, appView, type AppSetView, type AppView } from './rolling-sync-objects.ts';

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';
/** Changes arriving within this window are mapped once (a step moves several apps at once). */
const BURST_MS = 25;
/** How often the inventory is checked for changes that move a destination to another cluster. */
const INVENTORY_CHECK_MS = 10_000;

/** What this source lists and watches on the hub with the BFF's own identity. */
export const ARGOCD_ROLLOUT_WATCHES = ['applications', 'applicationsets'].map((resource) => ({ group: 'argoproj.io', resource }));

const key = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

const none = (what: string) => () => Promise.reject(new RolloutActionError(409, `Argo CD progressive sync has no ${what}`));

/**
 * Argo CD ApplicationSets with `strategy.type: RollingSync` as rollouts: slim informers on
 * ApplicationSets and the Applications they own; a set is mapped again (once per burst)
 * when it or one of its apps changes, and every set when the inventory moves a
 * destination. Approving a `maxUpdate: 0` step syncs its waiting apps as the person
 * (see rolling-sync-approve.ts); Argo CD has no pause, abort, roll back or pin, so those
 * are refused with what to do instead.
 */
export function argoRollingSyncRolloutSource(
  kc: KubeConfig,
  writer: ImpersonatingClient,
  options: { logger: Logger; clusters: () => readonly Cluster[]; now?: () => Date },
): RolloutSource {
  const { logger } = options;
  const listeners = new Set<(id: string) => void>();
  const sets = new Map<string, AppSetView>();
  /** By rollout id. */
  const held = new Map<string, HeldSet>();
  const appsBySet = new Map<string, Map<string, AppView>>();
  /** The set of each app, for its deletion (whose event carries no reduced object). */
  const setOfApp = new Map<string, string>();
  const dirty = new Set<string>();
  let flushing: NodeJS.Timeout | undefined;
  let inventoryTimer: NodeJS.Timeout | undefined;
  let index: DestinationIndex = destinationIndex([]);
  let tenantOf = new Map<string, string>();
  let stopped = false;

  const watch = <S>(kind: string, plural: string, reduce: (obj: never) => S | undefined) =>
    watchCustomResource<S>(kc, { group: GROUP, version: VERSION, plural, kind }, reduce, {
      logger,
      message: 'Argo CD watch failed; restarting',
    });
  const setW = watch<AppSetView>('ApplicationSet', 'applicationsets', appSetView);
  const appW = watch<AppView>('Application', 'applications', appView);
  const all = [setW, appW];

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
  function markDirty(setKey: string): void {
    dirty.add(setKey);
    flushing ??= setTimeout(flush, BURST_MS);
  }
  function refreshInventory(): boolean {
    const clusters = options.clusters();
    const next = destinationIndex(clusters);
    const tenants = new Map(clusters.map((c) => [c.name, c.tenant]));
    const changed = next.signature !== index.signature || JSON.stringify([...tenants]) !== JSON.stringify([...tenantOf]);
    index = next;
    tenantOf = tenants;
    return changed;
  }

  function flush(): void {
    flushing = undefined;
    if (stopped) return;
    for (const k of dirty) {
      const set = sets.get(k);
      if (!set) continue;
      const id = rolloutId('argocd', set.namespace, set.name);
      const before = held.get(id);
      try {
        const mapped = mapAppSet({
          set,
          apps: [...(appsBySet.get(k)?.values() ?? [])],
          clusterOf: (a) => mapDestination(a.destination, index),
          tenantOf: (c) => tenantOf.get(c),
        });
        const entries = new Map(set.applicationStatus.map((s) => [s.application, s]));
        // An unchanged rollout keeps its object: readers may key caches by it.
        const same = before && JSON.stringify(before.mapped.rollout) === JSON.stringify(mapped.rollout);
        held.set(id, { mapped: same ? { ...mapped, rollout: before.mapped.rollout } : mapped, entries });
        if (!same) emit(id);
      } catch (err) {
        // A set shaped in a way the mapping does not expect must not stop the others (or the process).
        logger.error({ err, applicationSet: k }, 'mapping an Argo CD ApplicationSet failed');
      }
    }
    dirty.clear();
  }

  const onSet = (o: Slim<AppSetView>) => {
    const k = key(o.metadata.namespace, o.metadata.name);
    if (o.kept) {
      sets.set(k, o.kept);
      markDirty(k);
    } else dropSet(k); // no longer RollingSync
  };
  function dropSet(k: string): void {
    sets.delete(k);
    const [namespace, name] = k.split('/') as [string, string];
    const id = rolloutId('argocd', namespace, name);
    if (held.delete(id)) emit(id);
  }
  setW.informer.on('add', onSet);
  setW.informer.on('update', onSet);
  setW.informer.on('delete', (o) => dropSet(key(o.metadata.namespace, o.metadata.name)));

  function dropApp(appKey: string): void {
    const s = setOfApp.get(appKey);
    if (s === undefined) return;
    setOfApp.delete(appKey);
    appsBySet.get(s)?.delete(appKey);
    markDirty(s);
  }
  const onApp = (o: Slim<AppView>) => {
    const k = key(o.metadata.namespace, o.metadata.name);
    const setKey = o.kept && key(o.kept.namespace, o.kept.appSet);
    if (setOfApp.get(k) !== setKey) dropApp(k);
    if (!o.kept || !setKey) return;
    setOfApp.set(k, setKey);
    let byName = appsBySet.get(setKey);
    if (!byName) appsBySet.set(setKey, (byName = new Map<string, AppView>()));
    byName.set(k, o.kept);
    markDirty(setKey);
  };
  appW.informer.on('add', onApp);
  appW.informer.on('update', onApp);
  appW.informer.on('delete', (o) => dropApp(key(o.metadata.namespace, o.metadata.name)));

  const actions: RolloutActions = {
    approve: (ctx, r, wave, decision) => approveStep(writer, held.get(r.id), ctx, r, wave, decision),
    pause: none('pause: a step with maxUpdate 0 holds the rollout until it is approved'),
    resume: none('pause, so nothing to resume'),
    abort: none('abort: Applications already synced stay synced; change the ApplicationSet to stop rolling out this revision'),
    rollback: none('roll back: revert the commit in git and the ApplicationSet rolls the revert out step by step'),
    unpin: none('pin, so nothing to unpin'),
  };

  return {
    kinds: ['argocd'],
    async start() {
      refreshInventory();
      await Promise.all([setW.informer.start(), appW.informer.start()]);
      clearTimeout(flushing);
      flush();
      const check = () => {
        if (stopped) return;
        if (refreshInventory()) for (const k of sets.keys()) markDirty(k);
        inventoryTimer = setTimeout(check, INVENTORY_CHECK_MS);
      };
      inventoryTimer = setTimeout(check, INVENTORY_CHECK_MS);
    },
    async stop() {
      stopped = true;
      clearTimeout(flushing);
      clearTimeout(inventoryTimer);
      listeners.clear();
      await Promise.all(all.map((w) => w.stop()));
    },
    list: () => [...held.values()].map((h) => h.mapped.rollout),
    get: (id) => held.get(id)?.mapped.rollout,
    errors: (): PartialError[] => [
      ...all
        .filter((w) => w.down !== undefined)
        .map((w) => ({ source: 'argocd', reason: `the ${w.kind} watch is down; showing the last known state` })),
      ...[...held.values()].flatMap((h) => h.mapped.rollout.errors),
    ],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    actions,
  };
}
