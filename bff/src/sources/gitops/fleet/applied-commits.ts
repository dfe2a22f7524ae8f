import type { BundleDeploymentView } from './delivery-objects.ts';
import type { AppliedCommit } from './map-delivery.ts';

/**
 * When each BundleDeployment's applied commit last changed. Fleet records no such time,
 * so it is kept in memory: the first time a replica sees a deployment applied, the
 * Deployed (or Ready) condition's transition stands for it; afterwards, a new applied
 * commit is dated when it is seen. A deployment asked to deploy a new commit but not yet
 * applied keeps its previous commit.
 */
export class AppliedCommits {
  readonly #byDeployment = new Map<string, AppliedCommit>();

  /** Records what `bd` shows now and returns its applied commit, if known. */
  observe(bd: BundleDeploymentView, now: Date): AppliedCommit | undefined {
    const key = `${bd.namespace}/${bd.name}`;
    const known = this.#byDeployment.get(key);
    if (!bd.applied || !bd.commit || known?.commit === bd.commit) return known;
    const entry = { commit: bd.commit, at: known ? now.toISOString() : (bd.deployedAt ?? now.toISOString()) };
    this.#byDeployment.set(key, entry);
    return entry;
  }

  forget(namespace: string, name: string): void {
    this.#byDeployment.delete(`${namespace}/${name}`);
  }
}
