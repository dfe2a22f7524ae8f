import type { Rollout, RolloutEvent, RolloutHistoryEntry, RolloutSummary } from '@fleetdeck/shared';

import type { SourceRollout } from '../sources/rollouts/rollout-source.ts';
import { approvalProgressView } from './rollouts/rollout-approvals.ts';
import type { RolloutAccessContext, Viewer } from './rollouts/rollout-context.ts';
import { approvePermission, permissionsFor } from './rollouts/rollout-permissions.ts';
import { detailView, summaryView } from './rollouts/rollout-view.ts';
import { visibilityOf, type Visibility } from './rollouts/rollout-visibility.ts';

export {
  accessContext,
  currentContext,
  tenantNamespaceMapper,
  type RolloutAccessContext,
  type Viewer,
} from './rollouts/rollout-context.ts';
export { visibilityOf, type Visibility } from './rollouts/rollout-visibility.ts';

/**
 * The per-person face of rollouts: what a person sees of each (full, redacted, or
 * nothing) and what they may do with it. Every rollout answer and event goes through
 * here; the rules are in `rollouts/rollout-visibility.ts` (seeing) and
 * `rollouts/rollout-permissions.ts` (acting), and in the README.
 */

function awaiting(viewer: Viewer, r: SourceRollout, v: Visibility, ctx: RolloutAccessContext): RolloutSummary['awaitingApproval'] {
  if (!r.awaitingApproval) return undefined;
  const wave = r.waves.find((w) => w.name === r.awaitingApproval!.wave);
  const canApprove = wave ? approvePermission(viewer, wave, v, ctx, { recorded: r.recordedApprovals?.[wave.name] ?? [] }).allowed : false;
  return { wave: r.awaitingApproval.wave, position: r.awaitingApproval.position, canApprove };
}

/** The list row this person sees, or undefined when the rollout is not theirs to see. */
export function rolloutSummaryFor(viewer: Viewer, r: SourceRollout, ctx: RolloutAccessContext): RolloutSummary | undefined {
  const v = visibilityOf(viewer, r, ctx);
  if (!v) return undefined;
  const waiting = awaiting(viewer, r, v, ctx);
  return { ...summaryView(r, v), ...(waiting && { awaitingApproval: waiting }) };
}

/**
 * The detail this person sees, with their permissions, or undefined (then the route
 * answers exactly as for an id that does not exist). `replicaHistory`: this replica's
 * audited actions on the rollout.
 */
export function rolloutDetailFor(
  viewer: Viewer,
  r: SourceRollout,
  ctx: RolloutAccessContext,
  replicaHistory: readonly RolloutHistoryEntry[] = [],
): Rollout | undefined {
  const v = visibilityOf(viewer, r, ctx);
  if (!v) return undefined;
  const { actions, approveWaves } = permissionsFor(viewer, r, v, ctx);
  const waiting = awaiting(viewer, r, v, ctx);
  const approvalProgress = approvalProgressView(viewer, r, v, ctx);
  return {
    ...detailView(viewer, r, v, ctx, replicaHistory),
    ...(waiting && { awaitingApproval: waiting }),
    actions,
    approveWaves,
    ...(approvalProgress && { approvalProgress }),
  };
}

/**
 * A rollout change as one person's live event: `upsert` with their summary if they see it
 * after the change, `delete` if they saw it before and not after, and nothing for someone
 * who saw it neither before nor after (a deletion must never tell anyone it existed).
 */
export function rolloutEventFor(
  viewer: Viewer,
  before: SourceRollout | undefined,
  after: SourceRollout | undefined,
  ctx: RolloutAccessContext,
): RolloutEvent | undefined {
  const now = after && rolloutSummaryFor(viewer, after, ctx);
  if (now) return { type: 'upsert', rollout: now };
  const id = before?.id ?? after?.id;
  if (before && id !== undefined && visibilityOf(viewer, before, ctx)) return { type: 'delete', id };
  return undefined;
}
