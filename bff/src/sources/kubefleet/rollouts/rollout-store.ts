import type { SourceRollout } from '../../rollouts/rollout-source.ts';
import { sameJson } from '../../rollouts/same-json.ts';
import { runKey, type KfApproval, type KfRun, type KfScope } from './kf-objects.ts';
import { mapRun, rollbackTarget } from './map-run.ts';

/**
 * The runs and approval requests the informers hold, and each run mapped into the model.
 * A run is re-mapped when it or one of its approval requests changes, and so are the
 * other runs of its placement (their roll back target may have changed). No I/O.
 * A mapped rollout is never changed once handed out: a change replaces it (the rollout
 * service publishes it without copying).
 */
export class RolloutStore {
  readonly #runs = new Map<string, KfRun>();
  readonly #approvals = new Map<string, KfApproval>();
  /** run key → its approval requests' keys */
  readonly #approvalsOfRun = new Map<string, Set<string>>();
  readonly #rollouts = new Map<string, SourceRollout>();
  /** run key → rollout id */
  readonly #ids = new Map<string, string>();
  readonly #tenantForNamespace: (ns: string) => string | undefined;
  readonly #changed: (id: string) => void;

  constructor(tenantForNamespace: (ns: string) => string | undefined, changed: (id: string) => void) {
    this.#tenantForNamespace = tenantForNamespace;
    this.#changed = changed;
  }

  list(): SourceRollout[] {
    return [...this.#rollouts.values()];
  }

  get(id: string): SourceRollout | undefined {
    return this.#rollouts.get(id);
  }

  /** The kept run behind a rollout id (for actions that need spec fields the model does not carry). */
  runOf(id: string): KfRun | undefined {
    for (const [key, rid] of this.#ids) if (rid === id) return this.#runs.get(key);
    return undefined;
  }

  /** The approval request as the informer holds it (its resourceVersion and generation, for a write without a read first). */
  approval(scope: KfScope, namespace: string | undefined, name: string): KfApproval | undefined {
    return this.#approvals.get(runKey(scope, namespace, name));
  }

  /** Names of the kept runs in a scope and namespace (to pick a free name). */
  runNames(scope: KfScope, namespace: string | undefined): string[] {
    return [...this.#runs.values()].filter((r) => r.scope === scope && r.namespace === namespace).map((r) => r.name);
  }

  upsertRun(run: KfRun): void {
    const key = runKey(run.scope, run.namespace, run.name);
    const previous = this.#runs.get(key);
    this.#runs.set(key, run);
    // A re-list (or a repeated event) hands back objects that did not change: nothing to map or compare.
    if (unchanged(previous, run)) return;
    this.#remapPlacement(run);
    if (previous && previous.placementName !== run.placementName) this.#remapPlacement(previous);
  }

  deleteRun(scope: KfScope, namespace: string | undefined, name: string): void {
    const key = runKey(scope, namespace, name);
    const run = this.#runs.get(key);
    this.#runs.delete(key);
    const id = this.#ids.get(key);
    this.#ids.delete(key);
    if (id && this.#rollouts.delete(id)) this.#changed(id);
    if (run) this.#remapPlacement(run);
  }

  upsertApproval(approval: KfApproval): void {
    const key = runKey(approval.scope, approval.namespace, approval.name);
    const previous = this.#approvals.get(key);
    this.#approvals.set(key, approval);
    if (unchanged(previous, approval) && previous?.run === approval.run) return;
    if (previous?.run && previous.run !== approval.run) this.#unlink(previous, key);
    if (!approval.run) return;
    const owner = runKey(approval.scope, approval.namespace, approval.run);
    let set = this.#approvalsOfRun.get(owner);
    if (!set) this.#approvalsOfRun.set(owner, (set = new Set()));
    set.add(key);
    this.#remap(owner);
  }

  deleteApproval(scope: KfScope, namespace: string | undefined, name: string): void {
    const key = runKey(scope, namespace, name);
    const approval = this.#approvals.get(key);
    if (!approval) return;
    this.#approvals.delete(key);
    this.#unlink(approval, key);
  }

  #unlink(approval: KfApproval, key: string): void {
    if (!approval.run) return;
    const owner = runKey(approval.scope, approval.namespace, approval.run);
    const set = this.#approvalsOfRun.get(owner);
    set?.delete(key);
    if (set?.size === 0) this.#approvalsOfRun.delete(owner);
    this.#remap(owner);
  }

  #remapPlacement(run: KfRun): void {
    for (const [key, other] of this.#runs)
      if (other.scope === run.scope && other.namespace === run.namespace && other.placementName === run.placementName) this.#remap(key);
  }

  #remap(key: string): void {
    const run = this.#runs.get(key);
    if (!run) return;
    const approvals = new Map<string, KfApproval>();
    for (const k of this.#approvalsOfRun.get(key) ?? []) {
      const a = this.#approvals.get(k);
      if (a) approvals.set(a.name, a);
    }
    const rollbackTo = rollbackTarget(run, this.#runs.values());
    const rollout = mapRun({
      run,
      approvals,
      ...(rollbackTo !== undefined && { rollbackTo }),
      tenantForNamespace: this.#tenantForNamespace,
    });
    const previous = this.#rollouts.get(rollout.id);
    this.#ids.set(key, rollout.id);
    // Unchanged output (another run of the placement moved, an approval's bookkeeping changed): keep the
    // object already handed out and tell nobody.
    if (previous && sameJson(previous, rollout)) return;
    this.#rollouts.set(rollout.id, rollout);
    this.#changed(rollout.id);
  }
}

/** The same object version as before (resourceVersion is opaque: only equality means anything). */
const unchanged = (previous: { resourceVersion?: string } | undefined, next: { resourceVersion?: string }): boolean =>
  previous?.resourceVersion !== undefined && previous.resourceVersion === next.resourceVersion;
