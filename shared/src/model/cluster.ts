import { z } from 'zod/mini';

import { Condition, IsoTime, Labels, ObjectName } from './common.ts';
import { count } from './numbers.ts';

/**
 * The label keys that place a cluster in the fleet. Tenant and environment are read
 * from configurable label keys; these are the defaults the brief uses.
 */
export const WellKnownLabel = {
  client: 'client',
  env: 'env',
  region: 'region',
  tier: 'tier',
  type: 'type',
} as const;

/**
 * Connection state as the fleet manager reports it. `Unknown` is never shown as
 * Ready: a cluster whose agent stopped heartbeating is not healthy, it is unknown.
 */
export const ClusterState = z.enum(['Ready', 'NotReady', 'Joining', 'Leaving', 'Unknown']);
export type ClusterState = z.infer<typeof ClusterState>;

export const InventorySourceKind = z.enum(['demo', 'kubefleet', 'rancher-fleet', 'static']);
export type InventorySourceKind = z.infer<typeof InventorySourceKind>;

/** Whether the cluster runs what Git says it should (GitOps drift). */
export const SyncState = z.enum(['InSync', 'Drifted', 'Unknown']);
export type SyncState = z.infer<typeof SyncState>;

/** The annotation that puts a cluster into named groups, comma-separated. */
export const GROUPS_ANNOTATION = 'fleetdeck.dev/groups';

export function groupsFromAnnotations(annotations: Record<string, string>): string[] {
  return (annotations[GROUPS_ANNOTATION] ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}

export const Cluster = z.object({
  name: ObjectName,
  tenant: z.string(),
  environment: z.string(),
  labels: Labels,
  annotations: Labels,
  /** Named cluster groups (Rancher ClusterGroups, or the `fleetdeck.dev/groups` annotation). */
  groups: z.array(z.string()),
  state: ClusterState,
  conditions: z.array(Condition),
  sync: z.object({ state: SyncState, driftedResources: count() }),
  kubernetesVersion: z.optional(z.string()),
  nodeCount: z.optional(count()),
  lastHeartbeat: z.optional(IsoTime),
  source: InventorySourceKind,
});
export type Cluster = z.infer<typeof Cluster>;
