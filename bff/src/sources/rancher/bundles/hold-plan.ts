import type { FleetClusterView } from './fleet-objects.ts';
import type { Claim } from './gated-waves.ts';
import { formatHeldBy, parseHeldBy } from './gating-annotations.ts';

/** One write to a Fleet Cluster: its paused flag and Fleetdeck's held-by annotation (undefined: remove it). */
export interface HoldChange {
  namespace: string;
  name: string;
  paused: boolean;
  heldBy: string | undefined;
  /** The bundles that stop holding it with this change (for the audit of a rule's release). */
  released: string[];
}

/**
 * What every Fleet Cluster should be, from what each bundle asks of it. A cluster is held
 * while some gated bundle has a version waiting there behind an unreleased wave (`gate`),
 * or — between versions — for a gated bundle's next one (`standby`), unless another bundle
 * `needs` it to apply a released version (a standby hold must not block other bundles).
 *
 * Fleetdeck only ever unpauses a cluster it paused itself (its held-by annotation says so);
 * a cluster somebody else paused is left exactly as it is. A cluster held for several
 * bundles stays paused until the last of them releases it.
 */
export function planHolds(clusters: readonly FleetClusterView[], claims: ReadonlyMap<string, ReadonlyMap<string, Claim>>): HoldChange[] {
  const byCluster = new Map<string, { gate: Set<string>; standby: Set<string>; needed: boolean }>();
  for (const [bundle, perCluster] of claims) {
    for (const [fleetKey, claim] of perCluster) {
      let c = byCluster.get(fleetKey);
      if (!c) byCluster.set(fleetKey, (c = { gate: new Set(), standby: new Set(), needed: false }));
      if (claim === 'gate') c.gate.add(bundle);
      else if (claim === 'standby') c.standby.add(bundle);
      else c.needed = true;
    }
  }
  const changes: HoldChange[] = [];
  for (const cluster of clusters) {
    const c = byCluster.get(`${cluster.namespace}/${cluster.name}`);
    const holders = new Set(c?.gate);
    if (c && !c.needed) for (const b of c.standby) holders.add(b);
    const ours = cluster.heldBy !== undefined;
    const current = parseHeldBy(cluster.heldBy);
    const released = [...current].filter((b) => !holders.has(b));
    const base = { namespace: cluster.namespace, name: cluster.name, released };
    if (holders.size > 0) {
      if (!cluster.paused) changes.push({ ...base, paused: true, heldBy: formatHeldBy(holders), released: [] });
      else if (ours && formatHeldBy(current) !== formatHeldBy(holders))
        changes.push({ ...base, paused: true, heldBy: formatHeldBy(holders) });
      // Paused by somebody else: it holds already, and it is not ours to mark or release.
    } else if (ours) {
      changes.push({ ...base, paused: false, heldBy: undefined });
    }
  }
  return changes;
}

/** A Fleet Cluster document as read (only what a hold write changes). */
export interface ClusterDocument {
  metadata: { resourceVersion?: string; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: { paused?: boolean; [k: string]: unknown };
  [k: string]: unknown;
}

/**
 * One bundle's release of one cluster as read now: drop it from held-by; unpause when no
 * holder is left and Fleetdeck paused it. Undefined: nothing to write (not held for it).
 */
export function releaseFor(doc: ClusterDocument, bundleKey: string, heldByKey: string): ClusterDocument | undefined {
  const raw = doc.metadata.annotations?.[heldByKey];
  if (raw === undefined) return undefined;
  const holders = parseHeldBy(raw);
  if (!holders.delete(bundleKey)) return undefined;
  const annotations = { ...doc.metadata.annotations };
  if (holders.size > 0) annotations[heldByKey] = formatHeldBy(holders);
  else delete annotations[heldByKey];
  return {
    ...doc,
    metadata: { ...doc.metadata, annotations },
    spec: { ...doc.spec, ...(holders.size === 0 && { paused: false }) },
  };
}

/** A hold change applied to the cluster as read now (a conflict re-reads and re-plans). */
export function applyHold(doc: ClusterDocument, change: HoldChange, heldByKey: string): ClusterDocument {
  const annotations = { ...doc.metadata.annotations };
  if (change.heldBy === undefined) delete annotations[heldByKey];
  else annotations[heldByKey] = change.heldBy;
  return { ...doc, metadata: { ...doc.metadata, annotations }, spec: { ...doc.spec, paused: change.paused } };
}
