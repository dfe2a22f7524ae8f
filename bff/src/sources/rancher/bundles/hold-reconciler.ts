import type { Logger } from '../../../lib/logger.ts';
import type { Leadership } from '../../../promotion/contracts.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import type { FleetClusterView } from './fleet-objects.ts';
import type { Claim } from './gated-waves.ts';
import { HELD_BY_ANNOTATION } from './gating-annotations.ts';
import { applyHold, planHolds, type ClusterDocument } from './hold-plan.ts';
import { fleetClusterView } from './reduce-objects.ts';

const BASE = '/apis/fleet.cattle.io/v1alpha1/namespaces';
const CONFLICT_RETRIES = 3;

/** What the reconciler works from: the source's current view. */
export interface HoldSnapshot {
  /** False while a watch is down: a partial view must not release anything. */
  complete: boolean;
  clusters: readonly FleetClusterView[];
  /** Per bundle (`<namespace>/<name>`), what it asks of each Fleet Cluster. */
  claims: ReadonlyMap<string, ReadonlyMap<string, Claim>>;
  /** Per bundle, the wave each Fleet Cluster belongs to when that wave was released by soak time only. */
  soakReleased: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export interface HoldReconciler {
  /** Asks for a pass soon (passes never overlap; requests during one make one more). */
  request(): void;
  stop(): void;
}

/**
 * Keeps Fleet Clusters paused exactly as the gated bundles ask, on the **leader** replica
 * only and as the **BFF's own identity** (holding is Fleetdeck's rule, not a person's act:
 * a new commit is held with nobody signed in). Each write re-reads the cluster and
 * re-plans it, then writes with the read resourceVersion, so two passes (or a person's
 * approval releasing the same cluster) never undo each other.
 */
export function startHoldReconciler(deps: {
  writer: ImpersonatingClient;
  logger: Logger;
  leadership: Leadership;
  snapshot: () => HoldSnapshot;
  /** A wave released by soak time had its clusters unpaused (called once per wave and release). */
  onSoakRelease?: (bundleKey: string, wave: string) => void;
}): HoldReconciler {
  const { writer, logger, leadership } = deps;
  let running = false;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const audited = new Set<string>();

  async function writeOne(namespace: string, name: string, snap: HoldSnapshot): Promise<string[]> {
    const path = `${BASE}/${encodeURIComponent(namespace)}/clusters/${encodeURIComponent(name)}`;
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const read = await writer.requestAsSelf<ClusterDocument>('GET', path);
      if (read.status === 404) return [];
      if (read.status !== 200) throw new Error(`reading Fleet Cluster ${namespace}/${name}: HTTP ${read.status}`);
      const fresh = fleetClusterView(read.body);
      if (!fresh) return [];
      const [change] = planHolds([fresh], snap.claims);
      if (!change) return [];
      const res = await writer.requestAsSelf('PUT', path, { body: applyHold(read.body, change, HELD_BY_ANNOTATION) });
      if (res.status === 409) continue;
      if (res.status < 200 || res.status >= 300) throw new Error(`writing Fleet Cluster ${namespace}/${name}: HTTP ${res.status}`);
      logger.info(
        { cluster: `${namespace}/${name}`, paused: change.paused, heldBy: change.heldBy },
        'gated waves: Fleet Cluster hold updated',
      );
      return change.released;
    }
    throw new Error(`Fleet Cluster ${namespace}/${name} kept changing`);
  }

  async function pass(): Promise<void> {
    if (!leadership.isLeader()) return;
    const snap = deps.snapshot();
    if (!snap.complete) return;
    for (const change of planHolds(snap.clusters, snap.claims)) {
      if (stopped || !leadership.isLeader()) return;
      try {
        const released = await writeOne(change.namespace, change.name, snap);
        for (const bundle of released) {
          const wave = snap.soakReleased.get(bundle)?.get(`${change.namespace}/${change.name}`);
          const key = `${bundle}|${wave}`;
          if (wave === undefined || audited.has(key)) continue;
          audited.add(key);
          deps.onSoakRelease?.(bundle, wave);
        }
      } catch (err) {
        // One cluster failing must not keep the others held or released wrongly: the next pass retries it.
        logger.warn({ err, cluster: `${change.namespace}/${change.name}` }, 'gated waves: could not update a Fleet Cluster hold');
        timer ??= setTimeout(request, 2000);
      }
    }
    // A wave no longer released by soak (a new version) may be audited again when it is.
    for (const key of audited) {
      const [bundle, wave] = key.split('|') as [string, string];
      if (![...(snap.soakReleased.get(bundle)?.values() ?? [])].includes(wave)) audited.delete(key);
    }
  }

  function request(): void {
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    void pass()
      .catch((err: unknown) => logger.error({ err }, 'gated waves: hold pass failed'))
      .finally(() => {
        running = false;
        if (again && !stopped) {
          again = false;
          request();
        }
      });
  }
  const unsubscribe = leadership.onChange((leader) => leader && request());
  return {
    request,
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}
