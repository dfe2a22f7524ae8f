import type { ObjectRef } from '../../audit/kube-events.ts';
import type {
  PartialError,
  Principal,
  ReadinessSnapshot,
  RecordedApproval,
  Rollout,
  RolloutActionResult,
  RolloutSourceKind,
} from '@fleetdeck/shared';

/**
 * The contract every rollout source keeps (KubeFleet, Rancher Fleet, the demo). A source
 * holds its rollouts already mapped into the neutral model, **unredacted** and without
 * per-person fields: the routes (through `access/rollout-access.ts`) cut each one down to
 * what a person may see and fill `actions`, `approveWaves`, `redacted`, `hiddenClusters`,
 * `awaitingApproval.canApprove` and each cluster's `region`.
 */
export type SourceRollout = Omit<
  Rollout,
  'actions' | 'approveWaves' | 'redacted' | 'hiddenClusters' | 'awaitingApproval' | 'history' | 'approvalProgress'
> & {
  /**
   * Per wave name: the approvals recorded so far for its waiting (or last) approval gate, read
   * from the `fleetdeck.dev/approvals` annotation (oldest first). The approver policy turns
   * them into each person's `approvalProgress`.
   */
  recordedApprovals?: Readonly<Record<string, readonly RecordedApproval[]>>;
  /**
   * Fleetdeck's own annotations on the run or bundle that change how it is handled
   * (`fleetdeck.dev/on-failure`, `fleetdeck.dev/gated-waves`, `fleetdeck.dev/soak`), as read.
   */
  annotations?: Readonly<Record<string, string>>;
  /** The first gate waiting for an approval, if any (who may give it is decided per person). */
  awaitingApproval?: { wave: string; position: 'before' | 'after' };
  /** Approvals read from the upstream objects (approver, time, comment), oldest first. */
  history: Rollout['history'];
  /** The Kubernetes object behind it (audited changes are also recorded as Events on it); absent in the demo. */
  object?: ObjectRef;
  /** Every cluster it touches, hidden or not (for access decisions and the fleet table's rollout cell). */
  touches: readonly string[];
};

/** Who is acting, for impersonated writes and the audit trail. */
export interface ActionContext {
  principal: Pick<Principal, 'user' | 'groups'>;
  requestId: string;
}

/** What an approval should write, decided from the approvals already recorded (see ApprovalDecision.plan). */
export interface ApprovalPlan {
  /** Append this approval to the recorded list; undefined: this person is already counted (nothing to add). */
  record: RecordedApproval | undefined;
  /** The approver policy is satisfied with it: write the gate's Approved condition (or release the held clusters). */
  final: boolean;
  /** The answer when the write succeeds: e.g. done/approved, done/partiallyApproved ("1 of 2…"), no-op/alreadyCounted. */
  result: RolloutActionResult;
}

/**
 * One person's approval. The approver policy lives in `plan`; the source calls it with the
 * approvals recorded on the object **as read for each write attempt** (a conflict re-reads
 * and re-plans), so two approvers at once can never both be "the first of two", the same
 * person never counts twice, and the last required approval is the one that releases the gate.
 */
export interface ApprovalDecision {
  comment: string | undefined;
  notReadyReason?: string;
  readiness?: ReadinessSnapshot;
  plan(recorded: readonly RecordedApproval[]): ApprovalPlan;
}

/**
 * A refused or failed action, with the HTTP status the route answers
 * (404 gone, 409 not in a state that allows it, 403 the API server's RBAC refused, 502 upstream failed).
 */
export class RolloutActionError extends Error {
  readonly status: 403 | 404 | 409 | 422 | 502;
  constructor(status: 403 | 404 | 409 | 422 | 502, message: string) {
    super(message);
    this.status = status;
    this.name = 'RolloutActionError';
  }
}

/**
 * The writes. Each is idempotent (a repeat answers `no-op`), is made **as the person**
 * (impersonation, so the API server's RBAC is the second wall), and throws
 * RolloutActionError for anything it refuses. Authorisation by scope happened before.
 */
export interface RolloutActions {
  approve(ctx: ActionContext, rollout: SourceRollout, wave: string, decision: ApprovalDecision): Promise<RolloutActionResult>;
  /** Pause (KubeFleet `spec.state: Stop`, Fleet `spec.paused: true`). `reason` is recorded when given (reject = pause with a reason). */
  pause(ctx: ActionContext, rollout: SourceRollout, reason: string | undefined): Promise<RolloutActionResult>;
  resume(ctx: ActionContext, rollout: SourceRollout): Promise<RolloutActionResult>;
  /** KubeFleet: delete the run (clusters already updated stay updated). Fleet has no abort: 409. */
  abort(ctx: ActionContext, rollout: SourceRollout): Promise<RolloutActionResult>;
  /** KubeFleet: a new run with the snapshot the run replaced; Fleet: pin the GitRepo to the previous commit. */
  /**
   * `once`: the same key never makes a second roll back (the failure threshold rule passes
   * its claim key, so a roll back resumed after a replica died is not made twice).
   */
  rollback(ctx: ActionContext, rollout: SourceRollout, options?: { once?: string }): Promise<RolloutActionResult>;
  /** Fleet: restore the branch a roll back unpinned. Others: 409. */
  unpin(ctx: ActionContext, rollout: SourceRollout): Promise<RolloutActionResult>;
}

export interface RolloutSource {
  readonly kinds: readonly RolloutSourceKind[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Every rollout this source knows now, finished ones included. A rollout handed out here
   * (or by `get`) is never changed afterwards: a change is a new object. Readers share
   * them without copying (the change feed's `before`, caches keyed by the object).
   */
  list(): readonly SourceRollout[];
  get(id: string): SourceRollout | undefined;
  /** Why some of it could not be read (a watch down, a CRD missing), per upstream. */
  errors(): PartialError[];
  /** Called with the id of a rollout that was added, changed or deleted. Returns an unsubscribe. */
  onChange(listener: (id: string) => void): () => void;
  readonly actions: RolloutActions;
}

/** `<source>~<namespace>~<name>`; see the model. */
export function rolloutId(source: RolloutSourceKind, namespace: string | undefined, name: string): string {
  return `${source}~${namespace ?? ''}~${name}`;
}
