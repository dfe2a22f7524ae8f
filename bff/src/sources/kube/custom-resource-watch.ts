import { CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

import type { Logger } from '../../lib/logger.ts';
import { slimInformer } from '../informer-inventory.ts';

/** Restart delays after a watch fails: 0.5 s, doubled each failure, at most 30 s, back to 0.5 s once connected. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

export type SlimInformer<S> = ReturnType<typeof slimInformer<KubernetesObject, S>>;

/**
 * One kind of custom resource on the hub, watched with the BFF's own identity through a
 * slim informer that restarts itself with backoff after an error. The hub sources (Fleet
 * bundles, Fleet GitRepos, Argo CD Applications and ApplicationSets) each watch several
 * kinds this way and report a watch that is down as a partial error, never a failed page.
 */
export interface CustomResourceWatch<S> {
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly informer: SlimInformer<S>;
  /** The error that took it down (or kept it from starting); undefined while it is up. */
  down: unknown;
  /** Stops it for good: no restart is scheduled after this. */
  stop(): Promise<void>;
}

export interface CustomResourceRef {
  group: string;
  version: string;
  plural: string;
  /** Kind, for logs and errors ("Bundle"). */
  kind: string;
  /** One namespace; undefined: all of them. */
  namespace?: string;
}

/** A restarting slim informer over one custom resource (see CustomResourceWatch); start it with `informer.start()`. */
export function watchCustomResource<S>(
  kc: KubeConfig,
  ref: CustomResourceRef,
  reduce: (obj: never) => S | undefined,
  log: { logger: Logger; message: string },
): CustomResourceWatch<S> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const { group, version, plural, kind, namespace } = ref;
  const path = namespace ? `/apis/${group}/${version}/namespaces/${namespace}/${plural}` : `/apis/${group}/${version}/${plural}`;
  const page = (cont: string | undefined, limit: number) =>
    (namespace
      ? api.listNamespacedCustomObject({ group, version, namespace, plural, limit, ...(cont && { _continue: cont }) })
      : api.listCustomObjectForAllNamespaces({
          group,
          version,
          resourcePlural: plural,
          limit,
          ...(cont && { _continue: cont }),
        })) as Promise<KubernetesListObject<KubernetesObject>>;
  const informer = slimInformer<KubernetesObject, S>(kc, path, page, reduce as (obj: KubernetesObject) => S | undefined);
  let backoffMs = FIRST_RETRY_MS;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const w: CustomResourceWatch<S> = {
    kind,
    namespace,
    informer,
    down: undefined,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await informer.stop();
    },
  };
  informer.on('connect', () => {
    w.down = undefined;
    backoffMs = FIRST_RETRY_MS;
  });
  informer.on('error', (err: unknown) => {
    w.down = err ?? new Error(`the ${kind} watch failed`);
    log.logger.warn({ err, kind, ...(namespace && { namespace }), retryInMs: backoffMs }, log.message);
    if (stopped) return;
    retry = setTimeout(() => void informer.start().catch(() => undefined), backoffMs);
    backoffMs = Math.min(backoffMs * 2, MAX_RETRY_MS);
  });
  return w;
}
