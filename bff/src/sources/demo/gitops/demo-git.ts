import type { Cluster } from '@fleetdeck/shared';

import type { PlacementCluster, PlacementGroup } from '../../../domain/fleet-targets.ts';
import { hex, seedOf, unit } from '../logs/demo-log-hash.ts';

/** A Git commit id (40 hex) fixed by its key: the demo shows the same commits on every start and in every test. */
export const commitOf = (...key: (string | number)[]): string => hex(seedOf(key.join('|')), 0, 7, 40);

/** A number in [0, 1) fixed by its key, for spreading times and durations. */
export const fraction = (...key: (string | number)[]): number => unit(seedOf(key.join('|')), 0, 3);

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Synthetic bench clusters are named `<tenant>-<env>-00042`; the demo's deliveries speak of the brief's named ones only. */
const SYNTHETIC = /-\d{5}$/;
export const namedClusters = (clusters: readonly Cluster[]): Cluster[] => clusters.filter((c) => !SYNTHETIC.test(c.name));

/** Tenant and groups let placeFleet check that the selector text it shows selects the same clusters on the Fleet page. */
export const placementCluster = (c: Cluster): PlacementCluster => ({ name: c.name, labels: c.labels, tenant: c.tenant, groups: c.groups });

/**
 * The hub's Fleet ClusterGroups: one per tenant (the brief's `client-a/*`) and the edge
 * stores (`edge-clusters/*`). Fleet groups select by cluster labels, so the edge group is
 * written as the labels that make a store (client-a's `type=edge` clusters).
 */
export const DEMO_GROUPS: readonly PlacementGroup[] = [
  ...['client-a', 'client-b', 'client-c'].map((t) => ({ name: t, labels: { client: t }, selector: { matchLabels: { client: t } } })),
  { name: 'edge-clusters', labels: {}, selector: { matchLabels: { client: 'client-a', type: 'edge' } } },
];
