import type { KubeConfig } from '@kubernetes/client-node';

import type { Cluster, PartialError } from '@fleetdeck/shared';

import type { Config } from '../../../config/schema.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { Slim } from '../../informer-inventory.ts';
import { watchCustomResource } from '../../kube/custom-resource-watch.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import type { DeliverySource, SourceDelivery } from '../delivery-source.ts';
import { argoDeliveryActions } from './argo-actions.ts';
import { applicationView, appSetView, type ApplicationView, type AppSetView } from './argocd-objects.ts';
import { destinationIndex, mapDestination, type DestinationIndex } from './destination-map.ts';
import { mapApplication } from './map-application.ts';

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';
/** What this source lists and watches on the hub with the BFF's own identity (the chart's RBAC is made from it). */
export const ARGOCD_DELIVERY_WATCHES = ['applications', 'applicationsets'].map((resource) => ({ group: GROUP, resource }));
/** Changes arriving within this window are mapped once (a RollingSync step touches many apps at once). */
const BURST_MS = 25;
/** How often the inventory is checked for clusters whose names or API server URLs changed (cheap: one pass, no call). */
const INVENTORY_POLL_MS = 5_000;
const key = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

/**
 * Argo CD Applications on the hub as deliveries: slim informers on Applications (and
 * ApplicationSets, to name an app's set by its owner's uid) in the configured namespaces
 * (unset: all). Each app's destination is mapped to an inventory cluster by its server URL
 * (the clusters' `fleetdeck.dev/api-server` annotation) or its name — never through Argo
 * CD's cluster Secrets. The inventory is polled every few seconds (and read at each burst):
 * when a cluster's name or URL changes, every app is mapped again.
 */
export function argoDeliverySource(
  kc: KubeConfig,
  writer: ImpersonatingClient,
  options: { logger: Logger; clusters: () => readonly Cluster[]; argocd: Config['gitops']['argocd']; now?: () => Date },
): DeliverySource {
  const { logger, argocd } = options;
  const listeners = new Set<(ids: readonly string[]) => void>();
  const apps = new Map<string, ApplicationView>();
  const deliveries = new Map<string, SourceDelivery>();
  const idByKey = new Map<string, string>();
  const setNames = new Map<string, string>();
  const dirty = new Set<string>();
  let index: DestinationIndex = destinationIndex([]);
  let flushing: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  let stopped = false;

  const watch = <S>(kind: string, plural: string, namespace: string | undefined, reduce: (obj: never) => S | undefined) =>
    watchCustomResource<S>(kc, { group: GROUP, version: VERSION, plural, kind, ...(namespace !== undefined && { namespace }) }, reduce, {
      logger,
      message: 'Argo CD watch failed; restarting',
    });

  const namespaces = argocd.namespaces?.length ? [...new Set(argocd.namespaces)] : [undefined];
  const appWs = namespaces.map((ns) => watch<ApplicationView>('Application', 'applications', ns, applicationView));
  const setWs = namespaces.map((ns) => watch<AppSetView>('ApplicationSet', 'applicationsets', ns, appSetView));
  const all = [...appWs, ...setWs];

  const emit = (ids: readonly string[]) => {
    if (ids.length === 0) return;
    for (const l of listeners) {
      try {
        l(ids);
      } catch (err) {
        // A failing subscriber must not stop the others from hearing of the change.
        logger.error({ err }, 'a delivery change listener failed');
      }
    }
  };

  function markDirty(k: string): void {
    dirty.add(k);
    flushing ??= setTimeout(flush, BURST_MS);
  }
  const markAll = () => {
    for (const k of apps.keys()) markDirty(k);
  };

  /** Reads the inventory; true when a mapping may have changed. */
  function refreshIndex(): boolean {
    const next = destinationIndex(options.clusters());
    if (next.signature === index.signature) return false;
    index = next;
    return true;
  }

  function flush(): void {
    flushing = undefined;
    if (stopped) return;
    if (refreshIndex()) for (const k of apps.keys()) dirty.add(k);
    const changed: string[] = [];
    for (const k of dirty) {
      const app = apps.get(k);
      const id = idByKey.get(k);
      if (!app) {
        if (id && deliveries.delete(id)) changed.push(id);
        idByKey.delete(k);
        continue;
      }
      let mapped: SourceDelivery;
      try {
        const setName = app.owner?.uid ? setNames.get(app.owner.uid) : undefined;
        mapped = mapApplication(app, {
          cluster: mapDestination(app.destination, index),
          tenants: argocd,
          ...(setName && { applicationSet: setName }),
        });
      } catch (err) {
        // An app shaped in a way the mapping does not expect must not stop the others (or the process).
        logger.error({ err, app: k }, 'mapping an Argo CD Application failed');
        continue;
      }
      const before = deliveries.get(mapped.id);
      idByKey.set(k, mapped.id);
      if (before && JSON.stringify(before) === JSON.stringify(mapped)) continue;
      deliveries.set(mapped.id, mapped);
      changed.push(mapped.id);
    }
    dirty.clear();
    emit(changed);
  }

  for (const w of appWs) {
    const onApp = (o: Slim<ApplicationView>) => {
      const k = key(o.metadata.namespace, o.metadata.name);
      if (o.kept) apps.set(k, o.kept);
      else apps.delete(k);
      markDirty(k);
    };
    w.informer.on('add', onApp);
    w.informer.on('update', onApp);
    w.informer.on('delete', (o) => {
      const k = key(o.metadata.namespace, o.metadata.name);
      apps.delete(k);
      markDirty(k);
    });
  }
  const onSetsChanged = () => {
    setNames.clear();
    for (const w of setWs) for (const o of w.informer.list()) if (o.kept?.uid) setNames.set(o.kept.uid, o.kept.name);
    for (const [k, a] of apps) if (a.owner) markDirty(k);
  };
  for (const w of setWs) for (const verb of ['add', 'update', 'delete'] as const) w.informer.on(verb, onSetsChanged);

  return {
    engines: ['argocd'],
    async start() {
      await Promise.all(setWs.map((w) => w.informer.start()));
      await Promise.all(appWs.map((w) => w.informer.start()));
      clearTimeout(flushing);
      flush();
      const tick = () => {
        if (stopped) return;
        if (refreshIndex()) {
          markAll();
        }
        poll = setTimeout(tick, INVENTORY_POLL_MS);
      };
      poll = setTimeout(tick, INVENTORY_POLL_MS);
    },
    async stop() {
      stopped = true;
      clearTimeout(flushing);
      clearTimeout(poll);
      listeners.clear();
      await Promise.all(all.map((w) => w.stop()));
    },
    list: () => [...deliveries.values()],
    get: (id) => deliveries.get(id),
    errors: (): PartialError[] =>
      all
        .filter((w) => w.down !== undefined)
        .map((w) => ({ source: 'argocd', reason: `the ${w.kind} watch is down; showing the last known state` })),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    actions: argoDeliveryActions(writer),
  };
}
