import { z } from 'zod/mini';

import { IsoTime, Labels } from './common.ts';
import { count, int } from './numbers.ts';

/**
 * GitOps delivery: what Rancher Fleet (GitRepos → Bundles → BundleDeployments) and Argo CD
 * (Applications, ApplicationSets) deploy where. One `Delivery` is one Fleet GitRepo or one
 * Argo CD Application; its `targets` are the clusters it reaches, each with the engine's own
 * words for its state. Facts: ARCHITECTURE.md §3 "GitOps delivery".
 */

export const DeliveryEngine = z.enum(['fleet', 'argocd']);
export type DeliveryEngine = z.infer<typeof DeliveryEngine>;

/** A delivery's id: `fleet:<namespace>/<gitrepo>` or `argocd:<namespace>/<application>`. */
export const DeliveryId = z.string().check(z.minLength(3), z.maxLength(600), z.regex(/^(fleet|argocd):[a-z0-9.-]+\/[a-z0-9.-]+$/));
export type DeliveryId = z.infer<typeof DeliveryId>;

export const deliveryId = (engine: DeliveryEngine, namespace: string, name: string): DeliveryId => `${engine}:${namespace}/${name}`;

/** Fleet's BundleDeployment states, worst first; its own ranking (ErrApplied 7 … Ready 1). */
export const FleetBundleState = z.enum(['ErrApplied', 'WaitApplied', 'Modified', 'OutOfSync', 'Pending', 'NotReady', 'Ready']);
export type FleetBundleState = z.infer<typeof FleetBundleState>;
export const FLEET_STATE_RANK: Readonly<Record<FleetBundleState, number>> = {
  ErrApplied: 7,
  WaitApplied: 6,
  Modified: 5,
  OutOfSync: 4,
  Pending: 3,
  NotReady: 2,
  Ready: 1,
};

/** A GitRepo's git job (`status.gitJobStatus`); Unknown when Fleet has not said. */
export const GitJobStatus = z.enum(['InProgress', 'Current', 'Failed', 'Terminating', 'Unknown']);
export type GitJobStatus = z.infer<typeof GitJobStatus>;

export const ArgoSyncStatus = z.enum(['Synced', 'OutOfSync', 'Unknown']);
export type ArgoSyncStatus = z.infer<typeof ArgoSyncStatus>;
/** Argo CD health, worst first for roll-ups (Degraded > Missing > Progressing > Suspended > Healthy); Unknown apart. */
export const ArgoHealthStatus = z.enum(['Degraded', 'Missing', 'Progressing', 'Suspended', 'Healthy', 'Unknown']);
export type ArgoHealthStatus = z.infer<typeof ArgoHealthStatus>;
export const ArgoOperationPhase = z.enum(['Running', 'Terminating', 'Failed', 'Error', 'Succeeded']);
export type ArgoOperationPhase = z.infer<typeof ArgoOperationPhase>;

/**
 * How a delivery (or one cluster's part of it) stands, across engines: the engine's own
 * words (`label`: "ErrApplied", "OutOfSync / Degraded"), a tone for icon and colour, and a
 * rank to sort worst first across engines (higher is worse; see bff/src/domain/delivery-state.ts).
 */
export const DeliveryTone = z.enum(['error', 'warning', 'progressing', 'paused', 'unknown', 'ok']);
export type DeliveryTone = z.infer<typeof DeliveryTone>;
export const DeliveryStatus = z.object({ label: z.string(), tone: DeliveryTone, rank: int() });
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** A resource that is not ready, modified (drifted) or missing, with the engine's message. */
export const DeliveryResource = z.object({
  kind: z.string(),
  namespace: z.optional(z.string()),
  name: z.string(),
  state: z.string(),
  message: z.optional(z.string()),
});
export type DeliveryResource = z.infer<typeof DeliveryResource>;

/** One cluster's part of a delivery. */
export const DeliveryTarget = z.object({
  /** The inventory's cluster name. */
  cluster: z.string(),
  status: DeliveryStatus,
  fleetState: z.optional(FleetBundleState),
  sync: z.optional(ArgoSyncStatus),
  health: z.optional(ArgoHealthStatus),
  /** The commit actually applied there (Fleet: the BundleDeployment's `fleet.cattle.io/commit`; Argo CD: `status.sync.revision`). */
  appliedCommit: z.optional(z.string()),
  lastSyncAt: z.optional(IsoTime),
  /** Held: the GitRepo, the bundle or the Fleet Cluster is paused. */
  paused: z.boolean(),
  message: z.optional(z.string()),
  /** Non-ready, modified and missing resources (at most 50; `resourcesCut` says how many more). */
  resources: z.array(DeliveryResource),
  resourcesCut: z.optional(count()),
  /** Fleet: the bundles of the GitRepo on this cluster (a GitRepo with several paths has several). */
  bundles: z.optional(count()),
  /** Fleet: the `targetCustomizations` entry that applied here (first match), if any. */
  customization: z.optional(z.string()),
  /** Fleet: the options that entry gives (helm values, overlays, namespace, …) as "key: value" lines. */
  options: z.optional(z.array(z.string())),
});
export type DeliveryTarget = z.infer<typeof DeliveryTarget>;

export const ArgoOperation = z.object({
  phase: ArgoOperationPhase,
  startedAt: z.optional(IsoTime),
  finishedAt: z.optional(IsoTime),
  message: z.optional(z.string()),
  /** The revision the last sync operation synced to. */
  revision: z.optional(z.string()),
  initiatedBy: z.optional(z.string()),
});
export type ArgoOperation = z.infer<typeof ArgoOperation>;

export const ArgoDetails = z.object({
  project: z.string(),
  sync: ArgoSyncStatus,
  health: ArgoHealthStatus,
  /** A sync asked for and not yet picked up (`operation` is set): another is refused until it clears. */
  syncPending: z.boolean(),
  operation: z.optional(ArgoOperation),
  /** The ApplicationSet that owns it, if any. */
  applicationSet: z.optional(z.string()),
  destination: z.object({ server: z.optional(z.string()), name: z.optional(z.string()), namespace: z.optional(z.string()) }),
  /** Its destination is no cluster of the inventory (the server URL matched none). */
  unmapped: z.boolean(),
  automated: z.boolean(),
  reconciledAt: z.optional(IsoTime),
});
export type ArgoDetails = z.infer<typeof ArgoDetails>;

export const FleetDetails = z.object({
  gitJob: GitJobStatus,
  gitJobMessage: z.optional(z.string()),
  forceSyncGeneration: int(),
  /** The GitRepo's Bundles (one per path). */
  bundles: count(),
  pollingInterval: z.optional(z.string()),
  correctDrift: z.boolean(),
});
export type FleetDetails = z.infer<typeof FleetDetails>;

/** One GitRepo or Application as a person sees it: every count is over the clusters they may see. */
export const DeliverySummary = z.object({
  id: DeliveryId,
  engine: DeliveryEngine,
  name: z.string(),
  namespace: z.string(),
  /** The tenant it belongs to (Argo CD: from its project or namespace, by configuration; Fleet: from its namespace or its clusters). */
  tenant: z.optional(z.string()),
  labels: Labels,
  repo: z.string(),
  branch: z.optional(z.string()),
  /** A pinned revision (Fleet: only pins when `branch` is empty) or Argo CD's `targetRevision`. */
  revision: z.optional(z.string()),
  paths: z.array(z.string()),
  /** The commit rendered (Fleet `status.commit`) or last synced to (Argo CD): not proof of deployment — see each target's `appliedCommit`. */
  renderedCommit: z.optional(z.string()),
  status: DeliveryStatus,
  paused: z.boolean(),
  ready: count(),
  desired: count(),
  /** Visible clusters by status label. */
  byStatus: z.record(z.string(), count()),
  lastSyncAt: z.optional(IsoTime),
  fleet: z.optional(FleetDetails),
  argocd: z.optional(ArgoDetails),
  /** What this person may do to it, and why not. */
  can: z.object({
    forceUpdate: z.optional(z.string()),
    pause: z.optional(z.string()),
    sync: z.optional(z.string()),
    refresh: z.optional(z.string()),
  }),
});
export type DeliverySummary = z.infer<typeof DeliverySummary>;
/** `can.x`: "" when allowed; else the reason it is not (absent: the action does not apply to this engine). */
export const ALLOWED = '';

/** A Fleet `targets[]` entry (the GitRepo's, an allow-list) with the visible clusters it matches, in our selector syntax. */
export const FleetTargetRule = z.object({
  name: z.optional(z.string()),
  /** `env=production,region in (us-east)`, `name=edge-*`, `group=…`: what the Fleet page's selector box accepts. */
  selector: z.string(),
  /** true: our syntax cannot say this entry exactly (an OR over several cluster groups, an entry matching nothing); `selector` is then a superset and `clusters` is exact. */
  approximate: z.optional(z.literal(true)),
  clusters: z.array(z.string()),
});
export type FleetTargetRule = z.infer<typeof FleetTargetRule>;

/** A `targetCustomizations` entry (fleet.yaml): the options it sets and the visible clusters it applied to (first match wins). */
export const FleetCustomization = z.object({
  name: z.string(),
  selector: z.string(),
  /** As in FleetTargetRule. */
  approximate: z.optional(z.literal(true)),
  options: z.array(z.string()),
  doNotDeploy: z.boolean(),
  clusters: z.array(z.string()),
});
export type FleetCustomization = z.infer<typeof FleetCustomization>;

/** The brief's WHAT × WHERE for a GitRepo: which clusters its targets allow, and what each customization changed. */
export const FleetPlacement = z.object({
  targets: z.array(FleetTargetRule),
  customizations: z.array(FleetCustomization),
});
export type FleetPlacement = z.infer<typeof FleetPlacement>;

export const DeliveryDetail = z.object({
  ...DeliverySummary.shape,
  targets: z.array(DeliveryTarget),
  placement: z.optional(FleetPlacement),
});
export type DeliveryDetail = z.infer<typeof DeliveryDetail>;

/**
 * On an inventory cluster (its KubeFleet MemberCluster, Fleet Cluster or static entry): the
 * API server URL Argo CD knows it by, so an Application's `spec.destination.server` maps to
 * it without reading Argo CD's cluster Secrets (which hold credentials). An Application whose
 * `destination.name` equals an inventory cluster's name maps to that cluster too.
 */
export const API_SERVER_ANNOTATION = 'fleetdeck.dev/api-server';
