import type {
  ArgoHealthStatus,
  ArgoOperation,
  ArgoSyncStatus,
  DeliveryResource,
  DeliveryTarget,
  FleetBundleState,
  FleetCustomization,
  FleetTargetRule,
  GitJobStatus,
} from '@fleetdeck/shared';

import { argoStatus, fleetStatus, gitUpdating, repoProblem } from '../../../domain/delivery-state.ts';
import type { SourceDelivery } from '../../gitops/delivery-source.ts';
import { FORCE_UPDATE_CLICKS } from '../../gitops/fleet/delivery-actions.ts';

/**
 * The demo's deliveries as it keeps them in memory: what a hub would hold in its GitRepos,
 * BundleDeployments and Applications. Only the demo changes these; readers get
 * `SourceDelivery` records mapped afresh after every change (never these objects).
 */

/** One cluster's BundleDeployment(s) of a GitRepo. */
export interface FleetTargetState {
  cluster: string;
  state: FleetBundleState;
  appliedCommit: string;
  /** When the applied commit last changed (Fleet has no other "last sync"). */
  appliedAt: number;
  resources: DeliveryResource[];
  message?: string;
  customization?: string;
  options: string[];
}

export interface RepoState {
  engine: 'fleet';
  id: string;
  namespace: string;
  name: string;
  tenant?: string;
  labels: Record<string, string>;
  repo: string;
  branch: string;
  paths: string[];
  correctDrift: boolean;
  placement: { targets: FleetTargetRule[]; customizations: FleetCustomization[] };
  /** `status.commit`: rendered into the Bundles. */
  commit: string;
  gitJob: GitJobStatus;
  gitJobMessage?: string;
  /** Why this repo's git job fails whenever it runs (bad credentials); the job fails again after a force update. */
  gitFailure?: string;
  paused: boolean;
  forceSyncGeneration: number;
  /** The force-update clicks already applied, newest last (a bounded memory, as the annotation on a real GitRepo). */
  clicks: string[];
  targets: FleetTargetState[];
}

export interface AppState {
  engine: 'argocd';
  id: string;
  namespace: string;
  name: string;
  tenant: string;
  project: string;
  labels: Record<string, string>;
  repo: string;
  path: string;
  targetRevision: string;
  cluster: string;
  destNamespace: string;
  applicationSet?: string;
  automated: boolean;
  /** The commit `targetRevision` resolves to now. */
  headCommit: string;
  /** `status.sync`: the revision compared against. */
  sync: ArgoSyncStatus;
  revision: string;
  health: ArgoHealthStatus;
  /** `status.history`: full successful syncs, oldest first, at most 10. */
  history: { deployedAt: number; revision: string }[];
  /** `status.operationState` (cleared when a sync is asked for). */
  operation?: ArgoOperation;
  /** `operation` is set: asked for, or running. Whoever asked, for the refusal of a second one. */
  pendingBy?: string;
  reconciledAt: number;
  resources: DeliveryResource[];
  message?: string;
  /** What a sync of this app ends in: its health afterwards, or the failure it meets (an admission webhook denial). */
  afterSync: { health: ArgoHealthStatus; failure?: string; resources?: DeliveryResource[] };
}

export type DemoDelivery = RepoState | AppState;

const iso = (ms: number) => new Date(ms).toISOString();

export function repoToSource(r: RepoState): SourceDelivery {
  const targets = r.targets.map((t): DeliveryTarget => ({
    cluster: t.cluster,
    status: fleetStatus(t.state, r.paused),
    fleetState: t.state,
    appliedCommit: t.appliedCommit,
    lastSyncAt: iso(t.appliedAt),
    paused: r.paused,
    ...(t.message !== undefined && { message: t.message }),
    resources: t.resources.map((x) => ({ ...x })),
    bundles: r.paths.length,
    ...(t.customization !== undefined && { customization: t.customization, options: [...t.options] }),
  }));
  const repoStatus = r.gitJob === 'Failed' ? repoProblem('Git job failed') : r.gitJob === 'Current' ? undefined : gitUpdating();
  return {
    id: r.id,
    engine: 'fleet',
    name: r.name,
    namespace: r.namespace,
    ...(r.tenant !== undefined && { tenant: r.tenant }),
    labels: { ...r.labels },
    repo: r.repo,
    branch: r.branch,
    paths: [...r.paths],
    renderedCommit: r.commit,
    paused: r.paused,
    fleet: {
      gitJob: r.gitJob,
      ...(r.gitJobMessage !== undefined && { gitJobMessage: r.gitJobMessage }),
      forceSyncGeneration: r.forceSyncGeneration,
      bundles: r.paths.length,
      pollingInterval: '15s',
      correctDrift: r.correctDrift,
    },
    targets,
    ...(repoStatus && { repoStatus }),
    ...(r.clicks.length > 0 && { annotations: { [FORCE_UPDATE_CLICKS]: r.clicks.join(',') } }),
    placement: {
      targets: r.placement.targets.map((t) => ({ ...t, clusters: [...t.clusters] })),
      customizations: r.placement.customizations.map((c) => ({ ...c, options: [...c.options], clusters: [...c.clusters] })),
    },
  };
}

/** "Last successful sync": the later of `history[-1].deployedAt` and a succeeded operation's `finishedAt` (as the real mapping). */
function lastSyncOf(a: AppState): string | undefined {
  const last = a.history.at(-1);
  const finished = a.operation?.phase === 'Succeeded' && a.operation.finishedAt ? Date.parse(a.operation.finishedAt) : undefined;
  const times = [last?.deployedAt, finished].filter((t): t is number => t !== undefined);
  return times.length > 0 ? iso(Math.max(...times)) : undefined;
}

export function appToSource(a: AppState): SourceDelivery {
  const failed = a.operation?.phase === 'Failed' || a.operation?.phase === 'Error';
  const lastSyncAt = lastSyncOf(a);
  const message = failed ? a.operation?.message : a.message;
  const target: DeliveryTarget = {
    cluster: a.cluster,
    status: argoStatus(a.sync, a.health, failed),
    sync: a.sync,
    health: a.health,
    appliedCommit: a.revision,
    ...(lastSyncAt !== undefined && { lastSyncAt }),
    paused: false,
    ...(message !== undefined && { message }),
    resources: a.resources.map((x) => ({ ...x })),
  };
  return {
    id: a.id,
    engine: 'argocd',
    name: a.name,
    namespace: a.namespace,
    tenant: a.tenant,
    labels: { ...a.labels },
    repo: a.repo,
    revision: a.targetRevision,
    paths: [a.path],
    renderedCommit: a.revision,
    paused: false,
    argocd: {
      project: a.project,
      sync: a.sync,
      health: a.health,
      syncPending: a.pendingBy !== undefined,
      ...(a.operation && { operation: { ...a.operation } }),
      ...(a.applicationSet !== undefined && { applicationSet: a.applicationSet }),
      destination: { name: a.cluster, namespace: a.destNamespace },
      unmapped: false,
      automated: a.automated,
      reconciledAt: iso(a.reconciledAt),
    },
    targets: [target],
    destinationCluster: a.cluster,
    destinationNamespace: a.destNamespace,
  };
}

export const toSource = (d: DemoDelivery): SourceDelivery => (d.engine === 'fleet' ? repoToSource(d) : appToSource(d));
