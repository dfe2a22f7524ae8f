import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import { allowsCluster, fleetWide, holdsTenant, ownership, type RolloutAccessContext, type Viewer } from './rollout-context.ts';

/** How much of one rollout one person sees. */
export interface Visibility {
  /** Some touched clusters are hidden (or the run is their tenant's but not all its clusters are theirs). */
  redacted: boolean;
  /** Touched clusters the person may not see: counted, never named. */
  hidden: number;
  isVisible(cluster: string): boolean;
  /** Whether a text names a touched cluster the person may not see. */
  mentionsHidden(text: string): boolean;
  /** The namespaced run's tenant, or the one tenant of all touched clusters (never a guess). */
  tenant: string | undefined;
  namespaced: boolean;
}

/**
 * Who sees a rollout (README "Rollouts: who sees what"):
 * - every touched cluster visible → the full entry;
 * - a namespaced run in a tenant the person holds a grant in → listed; redacted unless
 *   every touched cluster is theirs (even with none of them visible);
 * - a namespaced run of a tenant the person has no grant in → not listed, whatever it touches;
 * - a cluster-scoped run (or Fleet bundle) of which some clusters are visible → redacted;
 *   none visible → not listed. One touching no cluster yet is fleet-wide viewers' only.
 * `undefined` means: not listed, and GET by id answers as for an id that does not exist.
 */
export function visibilityOf(viewer: Viewer, r: SourceRollout, ctx: RolloutAccessContext): Visibility | undefined {
  const { scope } = viewer;
  const owner = ownership(r, ctx);
  if (owner.namespaced && !holdsTenant(scope, 'view', owner.tenant)) return undefined;
  // Every cluster named anywhere in it counts, in case a source's lists disagree.
  const touched = new Set(r.touches);
  for (const w of r.waves) for (const c of w.clusters) touched.add(c.cluster);
  for (const name of r.rollback?.clusters ?? []) touched.add(name);
  const visible = new Set<string>();
  for (const name of touched) if (allowsCluster(scope, 'view', name, ctx)) visible.add(name);
  const hidden = touched.size - visible.size;
  if (!owner.namespaced) {
    if (touched.size === 0 && !fleetWide(scope, 'view')) return undefined;
    if (touched.size > 0 && visible.size === 0) return undefined;
  }
  return {
    redacted: hidden > 0,
    hidden,
    isVisible: (name) => visible.has(name),
    mentionsHidden: (text) => {
      for (const name of touched) if (!visible.has(name) && text.includes(name)) return true;
      return false;
    },
    tenant: owner.tenant,
    namespaced: owner.namespaced,
  };
}
