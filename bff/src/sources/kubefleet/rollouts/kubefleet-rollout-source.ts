import { CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

import type { PartialError } from '@fleetdeck/shared';

import type { Logger } from '../../../lib/logger.ts';
import { slimInformer } from '../../informer-inventory.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import type { RolloutSource, SourceRollout } from '../../rollouts/rollout-source.ts';
import { kubeFleetRolloutActions } from './actions.ts';
import type { KfApproval, KfRun, KfScope } from './kf-objects.ts';
import { RolloutStore } from './rollout-store.ts';
import { chooseApiVersion, PLACEMENT_GROUP, readApproval, readRun } from './version-adapter.ts';

export interface KubeFleetRolloutOptions {
  logger: Logger;
  tenantForNamespace(ns: string): string | undefined;
  now?: () => Date;
}

interface Watched {
  plural: string;
  scope: KfScope;
  /** What the person reads in an error: the kind, never an object or cluster name. */
  label: string;
}

const WATCHED: readonly Watched[] = [
  { plural: 'clusterstagedupdateruns', scope: 'cluster', label: 'cluster staged update runs' },
  { plural: 'stagedupdateruns', scope: 'namespaced', label: 'staged update runs' },
  { plural: 'clusterapprovalrequests', scope: 'cluster', label: 'cluster approval requests' },
  { plural: 'approvalrequests', scope: 'namespaced', label: 'approval requests' },
];

/** What this source lists and watches on the hub with the BFF's own identity (the chart's RBAC is made from it). */
export const KUBEFLEET_ROLLOUT_WATCHES = WATCHED.map((w) => ({ group: PLACEMENT_GROUP, resource: w.plural }));

const isRun = (w: Watched) => w.plural.endsWith('stagedupdateruns');

/**
 * KubeFleet staged update runs (cluster-scoped and the tenants' namespaced twins) and
 * their approval requests on the hub, followed by slim informers under the BFF's own
 * identity and mapped into the neutral rollout model. Writes go through `actions`, as
 * the person. The API version is decided once at start (v1 when served, else v1beta1).
 */
export function kubeFleetRolloutSource(kc: KubeConfig, writer: ImpersonatingClient, options: KubeFleetRolloutOptions): RolloutSource {
  const { logger } = options;
  const listeners = new Set<(id: string) => void>();
  const store = new RolloutStore(
    (ns) => options.tenantForNamespace(ns),
    (id) => {
      for (const l of listeners) {
        try {
          l(id);
        } catch (err) {
          logger.warn({ err }, 'rollout change listener failed');
        }
      }
    },
  );
  const api = kc.makeApiClient(CustomObjectsApi);
  const errors = new Map<string, string>();
  const stops: (() => Promise<void>)[] = [];
  let version: 'v1' | 'v1beta1' = 'v1beta1';
  let stopped = false;

  async function discover(): Promise<void> {
    try {
      const res = await writer.requestAsSelf('GET', `/apis/${PLACEMENT_GROUP}`);
      if (res.status === 200) version = chooseApiVersion(res.body);
      else logger.warn({ status: res.status }, 'KubeFleet API group discovery failed; reading v1beta1');
    } catch (err) {
      logger.warn({ err }, 'KubeFleet API group discovery failed; reading v1beta1');
    }
  }

  async function watch(w: Watched): Promise<void> {
    const path = `/apis/${PLACEMENT_GROUP}/${version}/${w.plural}`;
    const list = (cont: string | undefined, limit: number) =>
      (w.scope === 'cluster'
        ? api.listClusterCustomObject({ group: PLACEMENT_GROUP, version, plural: w.plural, limit, ...(cont && { _continue: cont }) })
        : api.listCustomObjectForAllNamespaces({
            group: PLACEMENT_GROUP,
            version,
            resourcePlural: w.plural,
            limit,
            ...(cont && { _continue: cont }),
          })) as Promise<KubernetesListObject<KubernetesObject>>;
    const reduce = (obj: KubernetesObject): KfRun | KfApproval | undefined =>
      isRun(w) ? readRun(obj, w.scope) : readApproval(obj, w.scope);
    const informer = slimInformer<KubernetesObject, KfRun | KfApproval>(kc, path, list, reduce);
    const upsert = (obj: { kept: KfRun | KfApproval | undefined }) => {
      if (!obj.kept) return;
      if ('placementName' in obj.kept) store.upsertRun(obj.kept);
      else store.upsertApproval(obj.kept);
    };
    informer.on('add', upsert);
    informer.on('update', upsert);
    informer.on('delete', (obj) => {
      const name = obj.metadata?.name;
      if (!name) return;
      const ns = w.scope === 'namespaced' ? obj.metadata?.namespace : undefined;
      if (isRun(w)) store.deleteRun(w.scope, ns, name);
      else store.deleteApproval(w.scope, ns, name);
    });
    let backoffMs = 500;
    let retry: NodeJS.Timeout | undefined;
    informer.on('connect', () => {
      errors.delete(w.plural);
      backoffMs = 500;
    });
    informer.on('error', (err: unknown) => {
      // The hub's own words (addresses, object names) go to the log; everyone may read this.
      errors.set(w.plural, `the watch of ${w.label} is down; showing the last known state`);
      logger.warn({ err, retryInMs: backoffMs, path }, 'rollout watch failed; restarting');
      if (stopped) return;
      retry = setTimeout(() => void informer.start().catch(() => undefined), backoffMs);
      backoffMs = Math.min(backoffMs * 2, 30_000);
    });
    stops.push(async () => {
      clearTimeout(retry);
      await informer.stop();
    });
    try {
      await informer.start();
    } catch (err) {
      // The error handler above restarts it; start() must not fail the BFF for one kind.
      errors.set(w.plural, `the watch of ${w.label} is down; showing the last known state`);
      logger.warn({ err, path }, 'rollout watch could not start');
    }
  }

  return {
    kinds: ['kubefleet', 'kubefleet-namespaced'],
    async start() {
      await discover();
      await Promise.all(WATCHED.map(watch));
    },
    async stop() {
      stopped = true;
      listeners.clear();
      await Promise.all(stops.map((s) => s()));
    },
    list: (): readonly SourceRollout[] => store.list(),
    get: (id) => store.get(id),
    errors: (): PartialError[] => [...errors.values()].map((reason) => ({ source: 'kubefleet', reason })),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    actions: kubeFleetRolloutActions({
      writer,
      store,
      apiVersion: () => version,
      now: options.now ?? (() => new Date()),
      logger,
    }),
  };
}
