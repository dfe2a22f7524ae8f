import { APPROVALS_ANNOTATION, type RolloutHistoryEntry, type RolloutPolicy, type RolloutState, type Wave } from '@fleetdeck/shared';

import { currentApprovals, parseApprovals, type BundleApprovals } from '../../rancher/bundles/gating-annotations.ts';
import { rolloutId, type SourceRollout } from '../../rollouts/rollout-source.ts';
import type { AppSetView, AppStatusView, AppView } from './rolling-sync-objects.ts';
import { concurrencyOf, isGate, stepOfApp, waveNames } from './rolling-sync-steps.ts';
import { mapStep, type StepApps } from './rolling-sync-waves.ts';

export interface MapInput {
  set: AppSetView;
  /** The Applications the set owns. */
  apps: readonly AppView[];
  /** The inventory cluster an app deploys to; undefined when unmapped. */
  clusterOf(app: AppView): string | undefined;
  tenantOf(cluster: string): string | undefined;
}

export interface MappedSet {
  rollout: SourceRollout;
  /** Per wave, its Applications (the approval syncs the waiting ones). */
  steps: StepApps[];
  /** What approvals are recorded for (see approvalsRevision). */
  revision: string;
}

export const APPSET_API_VERSION = 'argoproj.io/v1alpha1';

function mode(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best;
}

/** The revision being rolled out: what most apps target (the controller's targetRevisions, else the apps' own). */
function revisionOf(set: AppSetView, apps: readonly AppView[]): string | undefined {
  const join = (r: readonly string[]) => (r.length > 0 ? r.join(',') : undefined);
  const recorded = set.applicationStatus.map((s) => join(s.targetRevisions)).filter((r): r is string => r !== undefined);
  return mode(recorded) ?? mode(apps.map((a) => join(a.revisions)).filter((r): r is string => r !== undefined));
}

const condition = (set: AppSetView, type: string) => set.conditions.find((c) => c.type === type);

function stateOf(set: AppSetView, apps: readonly AppView[], waves: readonly Wave[]): RolloutState {
  if (apps.length === 0) return condition(set, 'RolloutProgressing')?.status === 'False' ? 'Succeeded' : 'Unknown';
  if (set.applicationStatus.length === 0) return 'Unknown';
  if (waves.every((w) => w.state === 'Succeeded')) return 'Succeeded';
  if (waves.some((w) => w.state === 'AwaitingApproval')) return 'AwaitingApproval';
  return 'Progressing';
}

function messageOf(set: AppSetView, apps: readonly AppView[], unmatched: number, waves: readonly Wave[]): string | undefined {
  if (apps.length === 0) return 'The ApplicationSet has generated no Applications';
  if (set.applicationStatus.length === 0) {
    return 'Argo CD has written no progressive sync status for this ApplicationSet: is the ApplicationSet controller running with progressive syncs enabled?';
  }
  const parts = [condition(set, 'RolloutProgressing')?.message];
  const failed = waves.find((w) => w.state === 'Failed');
  if (failed) parts.push(`${failed.name} has failed Applications; Argo CD waits until they turn Healthy`);
  if (unmatched > 0) parts.push('some Applications match no step: RollingSync never syncs them (sync them by hand)');
  const text = parts.filter((p): p is string => p !== undefined && p !== '').join('. ');
  return text || undefined;
}

function historyOf(record: BundleApprovals, waves: readonly Wave[]): RolloutHistoryEntry[] {
  const entries: RolloutHistoryEntry[] = [];
  for (const [wave, rec] of Object.entries(record.waves)) {
    for (const a of rec.approvals) {
      entries.push({
        at: a.at,
        actor: a.user,
        action: 'approve',
        wave,
        result: rec.releasedBy === a.user ? 'approved' : 'counted',
        ...(a.comment !== undefined && { comment: a.comment }),
        ...(a.notReadyReason !== undefined && { notReadyReason: a.notReadyReason }),
        ...(a.readiness !== undefined && { readiness: a.readiness }),
        from: 'upstream',
      });
    }
  }
  // A gate released by a sync by hand (a sole approval through Fleetdeck records nothing else, or Argo CD's own UI).
  for (const w of waves) {
    const gate = w.gates.find((g) => g.kind === 'Approval' && g.state === 'Approved');
    if (!gate?.approvedBy || !gate.approvedAt || record.waves[w.name]?.releasedBy) continue;
    entries.push({ at: gate.approvedAt, actor: gate.approvedBy, action: 'sync', wave: w.name, result: 'synced by hand', from: 'upstream' });
  }
  return entries.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
}

function policyOf(set: AppSetView): RolloutPolicy {
  const limits = set.steps.filter((s) => !isGate(s)).map(concurrencyOf);
  const agreed = limits.length > 0 && limits.every((l) => l === limits[0]) ? limits[0] : undefined;
  return agreed === undefined
    ? { sourceFields: {} }
    : { maxConcurrent: agreed, sourceFields: { maxConcurrent: 'spec.strategy.rollingSync.steps[].maxUpdate' } };
}

/** What approvals of this set hold for: a new revision is gated again. */
export const approvalsRevision = (revision: string | undefined): string => revision ?? 'unknown';

/** An ApplicationSet with `strategy.type: RollingSync` as a rollout: one wave per step. */
export function mapAppSet(input: MapInput): MappedSet {
  const { set, apps } = input;
  const names = waveNames(set.steps);
  const stepOf = new Map(apps.map((a) => [a.name, stepOfApp(set, a)]));
  const entries = new Map<string, AppStatusView>(set.applicationStatus.map((s) => [s.application, s]));
  const revision = revisionOf(set, apps);
  const record = currentApprovals(parseApprovals(set.fleetdeck[APPROVALS_ANNOTATION]), approvalsRevision(revision));
  const steps: StepApps[] = set.steps.map((_, i) => ({ wave: names[i]!, step: i, apps: apps.filter((a) => stepOf.get(a.name) === i) }));
  const clusterOf = (a: AppView) => input.clusterOf(a) ?? a.destination.name ?? a.destination.server ?? `unmapped-${a.name}`;

  const waves: Wave[] = [];
  let earlierDone = true;
  let earlierDoneAt: string | undefined;
  for (const s of steps) {
    const rec = record.waves[s.wave];
    const release = rec?.releasedAt ? { ...(rec.releasedBy && { by: rec.releasedBy }), at: rec.releasedAt } : undefined;
    waves.push(mapStep({ set, entries, clusterOf, earlierDone, earlierDoneAt, ...(release && { release }) }, s));
    const healthy = s.apps.map((a) => entries.get(a.name)).filter((e) => e?.status === 'Healthy');
    earlierDone &&= healthy.length === s.apps.length;
    earlierDoneAt = [earlierDoneAt, ...healthy.map((e) => e?.lastTransitionTime)]
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1);
  }

  const clusters = waves.flatMap((w) => w.clusters);
  const touches = [...new Set(clusters.map((c) => c.cluster))];
  const tenants = new Set(touches.map((c) => input.tenantOf(c)));
  const tenant = tenants.size === 1 ? [...tenants][0] : undefined;
  const state = stateOf(set, apps, waves);
  const current = waves.find((w) => w.state !== 'Succeeded' && w.state !== 'NotStarted');
  const waiting = waves.find((w) => w.gates.some((g) => g.state === 'Waiting'));
  const unmatched = apps.filter((a) => stepOf.get(a.name) === -1).length;
  const message = messageOf(set, apps, unmatched, waves);
  const updatedAt = [...set.applicationStatus.map((s) => s.lastTransitionTime), ...set.conditions.map((c) => c.lastTransitionTime)]
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
  const recordedApprovals = Object.fromEntries(
    Object.entries(record.waves).flatMap(([w, r]) => (r.approvals.length > 0 ? [[w, r.approvals]] : [])),
  );
  const rollout: SourceRollout = {
    id: rolloutId('argocd', set.namespace, set.name),
    name: set.name,
    namespace: set.namespace,
    ...(tenant !== undefined && { tenant }),
    source: 'argocd',
    target: set.name,
    ...(revision !== undefined && { revision }),
    state,
    ...(current && { currentWave: current.name }),
    progress: {
      total: clusters.length,
      succeeded: clusters.filter((c) => c.state === 'Succeeded').length,
      failed: clusters.filter((c) => c.state === 'Failed').length,
      updating: clusters.filter((c) => c.state === 'Updating').length,
    },
    ...(set.createdAt && { createdAt: set.createdAt }),
    ...(updatedAt && { updatedAt }),
    ...(message && { message }),
    policy: policyOf(set),
    waves,
    conditions: set.conditions,
    history: historyOf(record, waves),
    errors:
      set.fleetdeck[APPROVALS_ANNOTATION] !== undefined && parseApprovals(set.fleetdeck[APPROVALS_ANNOTATION]) === undefined
        ? [{ source: 'argocd', reason: `ApplicationSet ${set.name}: ${APPROVALS_ANNOTATION} is not an approvals record: ignored` }]
        : [],
    ...(Object.keys(recordedApprovals).length > 0 && { recordedApprovals }),
    ...(waiting && { awaitingApproval: { wave: waiting.name, position: 'before' as const } }),
    annotations: set.fleetdeck,
    object: {
      apiVersion: APPSET_API_VERSION,
      kind: 'ApplicationSet',
      name: set.name,
      namespace: set.namespace,
      ...(set.uid && { uid: set.uid }),
    },
    touches,
  };
  return { rollout, steps, revision: approvalsRevision(revision) };
}
