import type { Cluster, PartialError } from '@fleetdeck/shared';

/**
 * What the BFF knows of the fleet's clusters at one moment. `version` changes whenever
 * anything in it does, so per-scope answers can be cached against it.
 */
export interface InventorySnapshot {
  readonly version: number;
  readonly clusters: readonly Cluster[];
  /** When the snapshot last matched its upstream (a list or a watch event). */
  readonly syncedAt: Date;
  readonly errors: readonly PartialError[];
}

export type InventoryEvent =
  | { type: 'ADDED'; cluster: Cluster }
  /** `previous` lets subscribers see a cluster move into or out of someone's scope. */
  | { type: 'MODIFIED'; cluster: Cluster; previous: Cluster }
  | { type: 'DELETED'; cluster: Cluster };

/**
 * The seam every inventory adapter implements: the demo fleet, KubeFleet
 * MemberClusters, Rancher Fleet Clusters, a static fleet file. Fleet-wide reads are
 * answered from `snapshot()` (memory), never by calling upstream per request.
 */
export interface InventorySource {
  readonly kind: Cluster['source'];
  /** Resolves once the first full list is in memory. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True after the first sync while the source is running. */
  isReady(): boolean;
  snapshot(): InventorySnapshot;
  /** Change feed for live updates; returns the unsubscribe function. */
  subscribe(listener: (event: InventoryEvent) => void): () => void;
}
