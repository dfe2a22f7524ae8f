import type {
  DeliveryActionResult,
  DeliveryEngine,
  DeliverySummary,
  DeliveryTarget,
  FleetCustomization,
  FleetTargetRule,
  PartialError,
} from '@fleetdeck/shared';
import type { ActionErrorOf } from '../kube/person-writes.ts';

import type { ObjectRef } from '../../audit/kube-events.ts';
import type { ActionContext } from '../rollouts/rollout-source.ts';

/**
 * The contract every GitOps delivery source keeps (Rancher Fleet GitRepos, Argo CD
 * Applications, the demo). A source holds its deliveries already mapped into the neutral
 * model, **unfiltered** (every cluster) and without per-person fields; the delivery views
 * (bff/src/access/deliveries/) cut each one to what a person may see, recount it, and fill
 * `can`. A record handed out is never changed afterwards: a change is a new object.
 */
export type SourceDelivery = Omit<DeliverySummary, 'status' | 'ready' | 'desired' | 'byStatus' | 'can' | 'lastSyncAt'> & {
  /** Every cluster it reaches (inventory names), each with its own state. */
  targets: readonly DeliveryTarget[];
  /**
   * Repo-level trouble that every viewer sees whatever their clusters (a failed git job, an
   * Argo CD ComparisonError), as a status to fold into the worst; undefined: none.
   */
  repoStatus?: DeliverySummary['status'];
  /** Argo CD: the inventory cluster its destination maps to (undefined: unmapped — see `argocd.unmapped`). */
  destinationCluster?: string;
  /** Argo CD: the destination namespace, for namespace-limited people. */
  destinationNamespace?: string;
  /** Fleet: the GitRepo's targets and its bundles' customizations, with every cluster each matches. */
  placement?: { targets: readonly FleetTargetRule[]; customizations: readonly FleetCustomization[] };
  /** The Kubernetes object (audited actions are also recorded as Events on it); absent in the demo. */
  object?: ObjectRef;
  /** Fleetdeck's annotations as read (`fleetdeck.dev/*`), e.g. the last force-update click applied. */
  annotations?: Readonly<Record<string, string>>;
};

/** Thrown by an action with the HTTP status and a message safe to show the person. */
export class DeliveryActionError extends Error {
  override name = 'DeliveryActionError';
  readonly status: 400 | 403 | 404 | 409 | 422 | 502;
  constructor(status: DeliveryActionError['status'], message: string) {
    super(message);
    this.status = status;
  }
}

/** Delivery routes answer hub refusals as DeliveryActionErrors (see kube/person-writes.ts). */
export const deliveryError: ActionErrorOf<DeliveryActionError> = (status, message) => new DeliveryActionError(status, message);

/**
 * Writes, made **as the person** (impersonated) so the API server's RBAC applies too.
 * Fleetdeck has already decided the person may act (Argo CD's own RBAC is bypassed when
 * `operation` is written directly, so this check is the one that counts). A method is
 * absent when the engine has no such action.
 */
export interface DeliveryActions {
  /** Fleet: `spec.forceSyncGeneration = (current || 1) + 1`, once per `click` (recorded on the GitRepo), retried on conflict. */
  forceUpdate?(ctx: ActionContext, d: SourceDelivery, click: string): Promise<DeliveryActionResult>;
  /** Fleet: GitRepo `spec.paused`. */
  setPaused?(ctx: ActionContext, d: SourceDelivery, paused: boolean): Promise<DeliveryActionResult>;
  /** Argo CD: set `operation.sync` as its API server does; 409 when one is already set. */
  sync?(ctx: ActionContext, d: SourceDelivery, options: { revision?: string; prune?: boolean }): Promise<DeliveryActionResult>;
  /** Argo CD: annotation `argocd.argoproj.io/refresh: normal|hard`. */
  refresh?(ctx: ActionContext, d: SourceDelivery, hard: boolean): Promise<DeliveryActionResult>;
}

export interface DeliverySource {
  /** The engines its deliveries come from (the demo has both). */
  readonly engines: readonly DeliveryEngine[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every delivery this source knows now. */
  list(): readonly SourceDelivery[];
  get(id: string): SourceDelivery | undefined;
  /** Why some of it could not be read (a watch down, a CRD missing). */
  errors(): PartialError[];
  /** Called with the ids of deliveries added, changed or deleted (a burst at once). Returns an unsubscribe. */
  onChange(listener: (ids: readonly string[]) => void): () => void;
  readonly actions: DeliveryActions;
}
