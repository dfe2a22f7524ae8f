import type {
  ClusterRolloutStatus,
  Condition,
  Gate,
  PartialError,
  RollbackPlan,
  Rollout,
  RolloutHistoryEntry,
  RolloutSummary,
  Wave,
} from '@fleetdeck/shared';

import type { SourceRollout } from '../../sources/rollouts/rollout-source.ts';
import type { RolloutAccessContext, Viewer } from './rollout-context.ts';
import type { Visibility } from './rollout-visibility.ts';

/**
 * The person's copy of a rollout, built field by field (never by spreading a source's
 * object, so nothing a source adds — `touches`, `object`, anything new — can slip out).
 * In a redacted copy only visible clusters are named, hidden ones are counted, progress
 * still counts all, and upstream free text (run, wave and condition messages — KubeFleet's
 * UpdateRunStuck names clusters —, others' comments) is dropped.
 */
export type ViewedSummary = Omit<RolloutSummary, 'awaitingApproval'>;
export type ViewedDetail = Omit<Rollout, 'actions' | 'approveWaves' | 'awaitingApproval'>;

export function summaryView(r: SourceRollout, v: Visibility): ViewedSummary {
  return {
    id: r.id,
    name: r.name,
    ...(r.namespace !== undefined && r.namespace !== '' && { namespace: r.namespace }),
    ...(v.tenant !== undefined && { tenant: v.tenant }),
    source: r.source,
    target: r.target,
    ...(r.revision !== undefined && { revision: r.revision }),
    state: r.state,
    ...(r.currentWave !== undefined && { currentWave: r.currentWave }),
    progress: { total: r.progress.total, succeeded: r.progress.succeeded, failed: r.progress.failed, updating: r.progress.updating },
    redacted: v.redacted,
    hiddenClusters: v.hidden,
    ...(r.createdAt !== undefined && { createdAt: r.createdAt }),
    ...(r.updatedAt !== undefined && { updatedAt: r.updatedAt }),
    ...(!v.redacted && r.message !== undefined && { message: r.message }),
  };
}

export function detailView(
  viewer: Viewer,
  r: SourceRollout,
  v: Visibility,
  ctx: RolloutAccessContext,
  replicaHistory: readonly RolloutHistoryEntry[],
): ViewedDetail {
  const history = [...r.history, ...replicaHistory.filter((h) => !alsoUpstream(h, r.history))]
    .map((h) => historyEntry(h, v.redacted && h.actor !== viewer.user))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    ...summaryView(r, v),
    policy: { ...r.policy, sourceFields: { ...r.policy.sourceFields } },
    waves: r.waves.map((w) => waveView(w, v, ctx, viewer)),
    conditions: r.conditions.map((c) => conditionView(c, v.redacted)),
    ...(r.rollback && { rollback: rollbackView(r.rollback, v) }),
    ...(r.pinned && { pinned: { revision: r.pinned.revision, ...(r.pinned.branch !== undefined && { branch: r.pinned.branch }) } }),
    history,
    errors: r.errors.filter((e) => (e.cluster === undefined ? !v.redacted : v.isVisible(e.cluster))).map(errorView),
  };
}

function waveView(w: Wave, v: Visibility, ctx: RolloutAccessContext, viewer: Viewer): Wave {
  const clusters = w.clusters.filter((c) => v.isVisible(c.cluster)).map((c) => clusterView(c, v, ctx));
  return {
    name: w.name,
    index: w.index,
    state: w.state,
    ...(w.maxConcurrency !== undefined && { maxConcurrency: w.maxConcurrency }),
    ...(w.maxUnavailable !== undefined && { maxUnavailable: w.maxUnavailable }),
    ...(w.unavailable !== undefined && { unavailable: w.unavailable }),
    gates: w.gates.map((g) => gateView(g, v.redacted && g.approvedBy !== viewer.user)),
    clusters,
    hiddenClusters: w.clusters.length - clusters.length,
    progress: { total: w.progress.total, succeeded: w.progress.succeeded, failed: w.progress.failed, updating: w.progress.updating },
    ...(w.startedAt !== undefined && { startedAt: w.startedAt }),
    ...(w.finishedAt !== undefined && { finishedAt: w.finishedAt }),
    ...(!v.redacted && w.message !== undefined && { message: w.message }),
    ...(w.held && {
      held: {
        clusters: w.held.clusters,
        // Other bundles on the held clusters: a bundle on a cluster hidden from this person could
        // be another tenant's, so names are given only to people who see the whole wave.
        otherBundles: v.redacted || clusters.length < w.clusters.length ? [] : w.held.otherBundles,
        note: w.held.note,
      },
    }),
  };
}

function clusterView(c: ClusterRolloutStatus, v: Visibility, ctx: RolloutAccessContext): ClusterRolloutStatus {
  const region = ctx.cluster(c.cluster)?.region;
  return {
    cluster: c.cluster,
    ...(region !== undefined && { region }),
    state: c.state,
    // The failure text of the person's own cluster stays, unless it names one they may not see.
    ...(c.message !== undefined && !(v.redacted && v.mentionsHidden(c.message)) && { message: c.message }),
    ...(c.startedAt !== undefined && { startedAt: c.startedAt }),
    ...(c.finishedAt !== undefined && { finishedAt: c.finishedAt }),
  };
}

function gateView(g: Gate, dropComment: boolean): Gate {
  const { comment, ...rest } = g;
  return { ...rest, ...(!dropComment && comment !== undefined && { comment }) };
}

function conditionView(c: Condition, redacted: boolean): Condition {
  return {
    type: c.type,
    status: c.status,
    ...(c.reason !== undefined && { reason: c.reason }),
    ...(!redacted && c.message !== undefined && { message: c.message }),
    ...(c.lastTransitionTime !== undefined && { lastTransitionTime: c.lastTransitionTime }),
  };
}

function rollbackView(plan: RollbackPlan, v: Visibility): RollbackPlan {
  const clusters = plan.clusters.filter((c) => v.isVisible(c));
  return {
    toRevision: plan.toRevision,
    ...(plan.fromRevision !== undefined && { fromRevision: plan.fromRevision }),
    clusters,
    hiddenClusters: plan.hiddenClusters + plan.clusters.length - clusters.length,
    note: v.redacted && v.mentionsHidden(plan.note) ? 'Returns the clusters this run updated to the earlier revision.' : plan.note,
  };
}

/**
 * An action this replica made that the upstream object itself records (an approval's
 * condition names its approver; the demo records pauses too) is shown once, as upstream.
 * Refusals and failures stay: upstream never saw them.
 */
function alsoUpstream(h: RolloutHistoryEntry, upstream: readonly RolloutHistoryEntry[]): boolean {
  // This replica writes the outcome's code ("approved", "paused"), else "no-op: …", "denied" or "failed".
  if (h.from !== 'audit' || h.result === undefined || h.result === 'denied' || h.result === 'failed' || h.result.startsWith('no-op'))
    return false;
  const at = Date.parse(h.at);
  return upstream.some(
    (u) => u.actor === h.actor && u.action === h.action && u.wave === h.wave && Math.abs(Date.parse(u.at) - at) <= 30_000,
  );
}

function historyEntry(h: RolloutHistoryEntry, dropComment: boolean): RolloutHistoryEntry {
  return {
    at: h.at,
    actor: h.actor,
    action: h.action,
    ...(h.wave !== undefined && { wave: h.wave }),
    ...(h.result !== undefined && { result: h.result }),
    ...(!dropComment && h.comment !== undefined && { comment: h.comment }),
    // The reason is free text like a comment; the snapshot's reasons may name clusters a redacted view hides.
    ...(!dropComment && h.notReadyReason !== undefined && { notReadyReason: h.notReadyReason }),
    ...(!dropComment && h.readiness !== undefined && { readiness: { ...h.readiness, reasons: [...h.readiness.reasons] } }),
    from: h.from,
  };
}

function errorView(e: PartialError): PartialError {
  return { source: e.source, ...(e.cluster !== undefined && { cluster: e.cluster }), reason: e.reason };
}
