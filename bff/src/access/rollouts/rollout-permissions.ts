import type { ActionPermission, RecordedApproval, RolloutActionKind, Wave } from '@fleetdeck/shared';

import { approvalBlocker, ruleFor } from '../../promotion/approver-policy.ts';

import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import { holdsVerb } from '../scope-checks.ts';
import { allowsCluster, fleetWide, holdsTenant, type RolloutAccessContext, type Viewer } from './rollout-context.ts';
import type { Visibility } from './rollout-visibility.ts';

const ALLOWED: ActionPermission = { allowed: true };
const refuse = (reason: string): ActionPermission => ({ allowed: false, reason });

const FINISHED = new Set(['Succeeded', 'Failed']);
const ABORTABLE_SOURCES = new Set(['kubefleet', 'kubefleet-namespaced', 'demo']);

export function hasWaitingApproval(w: Pick<Wave, 'gates'>): boolean {
  return w.gates.some((g) => g.kind === 'Approval' && g.state === 'Waiting');
}

/**
 * May this person approve the wave's waiting gate: only when nothing in the wave is
 * hidden from them and they hold `approve` on every one of its clusters (so a Tenant Admin
 * approves only waves wholly inside their tenant); a wave without clusters needs a
 * fleet-wide approver. Developers and Viewers hold no `approve` at all. With `recorded` (the
 * approvals recorded for the wave's gate), the approver policy is applied too: a person
 * already counted, or outside the one group the remaining approvals must come from, may not.
 */
export function approvePermission(
  viewer: Viewer,
  wave: Wave,
  v: Visibility,
  ctx: RolloutAccessContext,
  options: { requireWaiting?: boolean; recorded?: readonly RecordedApproval[] | undefined } = {},
): ActionPermission {
  const { scope } = viewer;
  if (!holdsVerb(scope, 'approve')) return refuse('your roles do not include approving rollouts');
  if ((options.requireWaiting ?? true) && !hasWaitingApproval(wave)) return refuse('no approval is waiting at this wave');
  if (wave.clusters.some((c) => !v.isVisible(c.cluster))) return refuse('this wave includes clusters outside your scope');
  if (wave.clusters.length === 0) {
    return fleetWide(scope, 'approve') ? ALLOWED : refuse('this wave has no clusters: only fleet-wide approvers may approve it');
  }
  if (!wave.clusters.every((c) => allowsCluster(scope, 'approve', c.cluster, ctx))) {
    return refuse('approving needs the approve permission on every cluster of this wave');
  }
  if (options.recorded !== undefined && hasWaitingApproval(wave)) {
    const blocker = approvalBlocker(ruleFor(ctx.approvers ?? [], wave.name), options.recorded, {
      user: viewer.user,
      groups: viewer.groups ?? [],
    });
    // Without the person's groups, a group refusal cannot be judged here (the approve route judges it).
    if (blocker && (blocker.kind === 'alreadyCounted' || viewer.groups !== undefined)) return refuse(blocker.message);
  }
  return ALLOWED;
}

/**
 * Who may pause, resume, reject, abort, roll back or unpin: on a cluster-scoped run or a
 * Fleet bundle, people holding `operate` over every tenant (Platform Admins) and every
 * touched cluster; on a namespaced run, also those holding `operate` in the run's tenant
 * and on every cluster it touches (its Tenant Admins).
 */
export function operatePermission(viewer: Viewer, r: SourceRollout, v: Visibility, ctx: RolloutAccessContext): ActionPermission {
  const { scope } = viewer;
  if (!holdsVerb(scope, 'operate')) return refuse('your roles do not include operating rollouts');
  const onEveryCluster = r.touches.every((c) => allowsCluster(scope, 'operate', c, ctx)) && v.hidden === 0;
  const fleetOperator = scope.grants.some((g) => g.verbs.includes('operate') && g.tenants === '*');
  if (fleetOperator && onEveryCluster) return ALLOWED;
  if (!v.namespaced) {
    return refuse(
      r.source === 'rancher-fleet'
        ? 'only Platform Admins may change a Fleet bundle'
        : 'only Platform Admins may change a rollout that is not owned by one tenant',
    );
  }
  if (holdsTenant(scope, 'operate', v.tenant) && onEveryCluster) return ALLOWED;
  return refuse('changing this rollout needs the operate permission in its tenant and on every cluster it touches');
}

/**
 * Why the rollout's state rules the action out; undefined when the source should be asked
 * (a repeat — pausing a paused run — is the source's idempotent no-op, not a conflict).
 */
export function stateConflict(kind: Exclude<RolloutActionKind, 'approve'>, r: SourceRollout): string | undefined {
  const finished = FINISHED.has(r.state);
  switch (kind) {
    case 'pause':
    case 'reject':
    case 'resume':
      return finished ? 'the rollout has finished' : undefined;
    case 'abort':
    case 'rollback':
    case 'unpin': {
      const p = byState(kind, r);
      return p.allowed || kind === 'unpin' ? undefined : p.reason;
    }
  }
}

function byState(kind: Exclude<RolloutActionKind, 'approve'>, r: SourceRollout): ActionPermission {
  // Argo CD progressive sync has only its maxUpdate-0 approval gate: nothing else to act on.
  if (r.source === 'argocd')
    return refuse(`Argo CD progressive sync has no ${kind === 'rollback' ? 'roll back: revert the commit in git' : kind}`);
  const finished = FINISHED.has(r.state);
  switch (kind) {
    case 'pause':
    case 'reject':
      if (finished) return refuse('the rollout has finished');
      return r.state === 'Stopped' ? refuse('the rollout is already paused') : ALLOWED;
    case 'resume':
      return r.state === 'Stopped' ? ALLOWED : refuse('the rollout is not paused');
    case 'abort':
      if (!ABORTABLE_SOURCES.has(r.source)) return refuse('Fleet bundles cannot be aborted: pause the bundle instead');
      return finished ? refuse('the rollout has finished') : ALLOWED;
    case 'rollback':
      return r.rollback ? ALLOWED : refuse('there is no earlier revision to roll back to');
    case 'unpin':
      return r.pinned ? ALLOWED : refuse('the rollout is not pinned');
  }
}

export interface Permissions {
  actions: Record<RolloutActionKind, ActionPermission>;
  approveWaves: Record<string, ActionPermission>;
}

export function permissionsFor(viewer: Viewer, r: SourceRollout, v: Visibility, ctx: RolloutAccessContext): Permissions {
  const approveWaves: Record<string, ActionPermission> = {};
  for (const w of r.waves) approveWaves[w.name] = approvePermission(viewer, w, v, ctx, { recorded: r.recordedApprovals?.[w.name] ?? [] });
  const operate = operatePermission(viewer, r, v, ctx);
  const op = (kind: Exclude<RolloutActionKind, 'approve'>) => (operate.allowed ? byState(kind, r) : operate);
  const waiting = r.awaitingApproval?.wave;
  return {
    actions: {
      approve: waiting !== undefined ? (approveWaves[waiting] ?? refuse('no approval is waiting')) : refuse('no approval is waiting'),
      pause: op('pause'),
      resume: op('resume'),
      reject: op('reject'),
      abort: op('abort'),
      rollback: op('rollback'),
      unpin: op('unpin'),
    },
    approveWaves,
  };
}
