import { CoreV1Api, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

import type { Logger } from '../../lib/logger.ts';
import { slimInformer, type ListPage } from '../informer-inventory.ts';
import type { RawObject } from './raw-objects.ts';

/** One watched kind on one spoke: a slim informer, whether it is down, and its restart backoff. */
export interface Watched<S> {
  what: string;
  informer: ReturnType<typeof slimInformer<KubernetesObject, S>>;
  down: boolean;
  errors: number;
  backoffMs: number;
  retry?: NodeJS.Timeout;
  /** No longer wanted (its kind went away): never restarted. */
  removed?: boolean;
}

export interface WatchTarget<S> {
  what: string;
  path: string;
  list: ListPage<KubernetesObject>;
  reduce: (obj: RawObject) => S | undefined;
}

/** The list and watch paths of the kinds a spoke may serve (list/watch is all the BFF identity may do there). */
export function targets(kc: KubeConfig) {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const asList = (p: Promise<unknown>) => p as Promise<KubernetesListObject<KubernetesObject>>;
  return {
    /** Cluster-scoped custom kind, or namespaced read across all namespaces. */
    custom:
      (group: string, version: string, plural: string, namespaced: boolean) =>
      <S>(what: string, reduce: (obj: RawObject) => S | undefined): WatchTarget<S> => ({
        what,
        path: `/apis/${group}/${version}/${plural}`,
        list: (cont, limit) =>
          asList(
            namespaced
              ? custom.listCustomObjectForAllNamespaces({ group, version, resourcePlural: plural, limit, ...(cont && { _continue: cont }) })
              : custom.listClusterCustomObject({ group, version, plural, limit, ...(cont && { _continue: cont }) }),
          ),
        reduce,
      }),
    namespaces: <S>(reduce: (obj: RawObject) => S | undefined): WatchTarget<S> => ({
      what: 'namespaces',
      path: '/api/v1/namespaces',
      list: (cont, limit) => asList(core.listNamespace({ limit, ...(cont && { _continue: cont }) })),
      reduce,
    }),
    /**
     * Read through the custom-objects client on purpose: it hands over the JSON as sent,
     * while the typed NetworkPolicy model renames `from` and `except` (`_from`, `_except`).
     */
    networkPolicies: <S>(reduce: (obj: RawObject) => S | undefined): WatchTarget<S> => ({
      what: 'networkpolicies',
      path: '/apis/networking.k8s.io/v1/networkpolicies',
      list: (cont, limit) =>
        asList(
          custom.listClusterCustomObject({
            group: 'networking.k8s.io',
            version: 'v1',
            plural: 'networkpolicies',
            limit,
            ...(cont && { _continue: cont }),
          }),
        ),
      reduce,
    }),
    /** The resources a group version serves; `undefined` when the group is not installed (404). */
    discover: async (group: string, version: string): Promise<{ name: string; kind: string; namespaced: boolean }[] | undefined> => {
      try {
        const res = await custom.getAPIResources({ group, version });
        return res.resources.filter((r) => !r.name.includes('/')).map((r) => ({ name: r.name, kind: r.kind, namespaced: r.namespaced }));
      } catch (err) {
        if ((err as { code?: number }).code === 404) return undefined;
        throw err;
      }
    },
  };
}

/**
 * A slim informer that restarts itself with exponential backoff when its watch or list
 * fails, telling `onState` when it goes down and when it is back.
 */
export function watched<S>(
  kc: KubeConfig,
  t: WatchTarget<S>,
  hooks: {
    logger: Logger;
    cluster: string;
    onChange: () => void;
    onState: () => void;
    onError?: (err: unknown, w: Watched<S>) => void;
    stopped: () => boolean;
  },
): Watched<S> {
  const informer = slimInformer<KubernetesObject, S>(kc, t.path, t.list, t.reduce);
  const w: Watched<S> = { what: t.what, informer, down: false, errors: 0, backoffMs: 500 };
  informer.on('add', hooks.onChange);
  informer.on('update', hooks.onChange);
  informer.on('delete', hooks.onChange);
  informer.on('error', (err: unknown) => {
    w.errors++;
    hooks.onError?.(err, w);
    if (w.removed) return;
    if (!w.down) {
      w.down = true;
      hooks.onState();
    }
    hooks.logger.warn({ err, cluster: hooks.cluster, what: t.what, retryInMs: w.backoffMs }, 'spoke watch failed; restarting');
    if (hooks.stopped() || w.removed) return;
    clearTimeout(w.retry);
    w.retry = setTimeout(() => void restart(w, hooks.onState), w.backoffMs);
    w.backoffMs = Math.min(w.backoffMs * 2, 30_000);
  });
  return w;
}

/** (Re)starts an informer; it is up when its list succeeded (an error during start says otherwise). */
export async function restart<S>(w: Watched<S>, onState: () => void): Promise<void> {
  const before = w.errors;
  await w.informer.start().catch(() => undefined);
  if (w.errors === before && w.down) {
    w.down = false;
    w.backoffMs = 500;
    onState();
  }
}
