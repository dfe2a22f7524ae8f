import type { ClusterRolloutStatus, Gate, Wave } from '@fleetdeck/shared';

import { progressOf } from '../../kubefleet/rollouts/map-waves.ts';
import type { AppSetView, AppStatusView, AppView } from './rolling-sync-objects.ts';
import { concurrencyOf, isGate, selectorText } from './rolling-sync-steps.ts';

/** One step's Applications, for the approval (which to sync) and the mapping. */
export interface StepApps {
  wave: string;
  /** 0-based. */
  step: number;
  apps: readonly AppView[];
}

/** What a wave needs to know of the set around it. */
export interface WaveContext {
  set: AppSetView;
  entries: ReadonlyMap<string, AppStatusView>;
  clusterOf(app: AppView): string;
  /** Every app of every earlier step is Healthy (the controller's condition to open this step). */
  earlierDone: boolean;
  /** When the last app of the earlier steps turned Healthy (the gate was reached then). */
  earlierDoneAt: string | undefined;
  /** Who released this wave's gate through Fleetdeck, from the approvals record. */
  release?: { by?: string; at?: string };
}

type Progress = AppStatusView['status'];
const statusOf = (ctx: WaveContext, app: AppView): Progress => ctx.entries.get(app.name)?.status ?? 'Waiting';
const failedPhase = (phase: string | undefined) => phase === 'Failed' || phase === 'Error';

/** An app still waiting for a sync nobody has asked for (the ones an approval syncs). */
export const isWaitingIdle = (entries: ReadonlyMap<string, AppStatusView>, app: AppView): boolean =>
  (entries.get(app.name)?.status ?? 'Waiting') === 'Waiting' && !app.syncing;

function appState(ctx: WaveContext, app: AppView): Omit<ClusterRolloutStatus, 'cluster' | 'region'> {
  const entry = ctx.entries.get(app.name);
  const op = app.operationState;
  const since = entry?.lastTransitionTime;
  if (entry?.status === 'Healthy') return { state: 'Succeeded', ...(since && { finishedAt: since }) };
  if (app.syncing || op?.phase === 'Running') return { state: 'Updating', ...(op?.startedAt && { startedAt: op.startedAt }) };
  if (entry?.status === 'Progressing') {
    // Synced and Healthy is the controller's own test for Healthy: it records it on its next pass.
    if (app.sync === 'Synced' && app.health === 'Healthy')
      return { state: 'Succeeded', ...(op?.finishedAt && { finishedAt: op.finishedAt }) };
    if (failedPhase(op?.phase)) return { state: 'Failed', message: op?.message ?? `sync ${op?.phase?.toLowerCase()}` };
    if (app.health === 'Degraded') return { state: 'Failed', message: app.healthMessage ?? 'the Application is Degraded' };
    return { state: 'Updating', ...((op?.startedAt ?? since) && { startedAt: op?.startedAt ?? since }) };
  }
  if (entry?.status === 'Pending')
    return { state: 'Updating', message: 'sync asked; waiting for it to start', ...(since && { startedAt: since }) };
  // Waiting: a sync asked since it began waiting (an approval) that failed is a failure to show.
  if (failedPhase(op?.phase) && op?.startedAt && (!since || Date.parse(op.startedAt) >= Date.parse(since))) {
    return { state: 'Failed', message: op.message ?? `sync ${op.phase?.toLowerCase()}` };
  }
  return { state: 'Pending' };
}

const RANK: Record<ClusterRolloutStatus['state'], number> = {
  Failed: 6,
  Updating: 5,
  Held: 4,
  Pending: 3,
  Unknown: 2,
  Skipped: 1,
  Succeeded: 0,
};

/** One row per destination cluster: the worst of its apps in this step (two apps of one set may share a cluster). */
function clustersOf(ctx: WaveContext, apps: readonly AppView[]): ClusterRolloutStatus[] {
  const byCluster = new Map<string, { status: ClusterRolloutStatus; count: number }>();
  for (const app of apps) {
    const cluster = ctx.clusterOf(app);
    const s: ClusterRolloutStatus = { cluster, ...appState(ctx, app) };
    const seen = byCluster.get(cluster);
    if (!seen) {
      byCluster.set(cluster, { status: s, count: 1 });
      continue;
    }
    seen.count++;
    const worse = RANK[s.state] > RANK[seen.status.state] ? s : seen.status;
    seen.status = { ...worse, ...(worse.message && { message: `${app.name}: ${worse.message}` }) };
  }
  return [...byCluster.values()].map((v) => v.status);
}

function gateOf(ctx: WaveContext, apps: readonly AppView[]): Gate {
  if (!ctx.earlierDone) return { kind: 'Approval', position: 'before', state: 'NotStarted' };
  const waiting = apps.filter((a) => isWaitingIdle(ctx.entries, a));
  if (waiting.length > 0) {
    const oldest = waiting
      .map((a) => ctx.entries.get(a.name)?.lastTransitionTime)
      .filter((t): t is string => t !== undefined)
      .sort()[0];
    const since = ctx.earlierDoneAt ?? oldest;
    return { kind: 'Approval', position: 'before', state: 'Waiting', ...(since && { waitingSince: since }) };
  }
  // Synced by hand: through Fleetdeck (the record, or the person the sync ran as) or elsewhere.
  const manual = apps
    .map((a) => a.operationState)
    .filter((o) => o?.by && o.startedAt)
    .sort((x, y) => Date.parse(x!.startedAt!) - Date.parse(y!.startedAt!))[0];
  const by = ctx.release?.by ?? manual?.by;
  const at = ctx.release?.at ?? manual?.startedAt;
  return { kind: 'Approval', position: 'before', state: 'Approved', ...(by && { approvedBy: by }), ...(at && { approvedAt: at }) };
}

function stateOf(
  ctx: WaveContext,
  apps: readonly AppView[],
  gate: Gate | undefined,
  clusters: readonly ClusterRolloutStatus[],
): Wave['state'] {
  if (apps.length === 0 || apps.every((a) => statusOf(ctx, a) === 'Healthy')) return 'Succeeded';
  if (gate?.state === 'Waiting') return 'AwaitingApproval';
  if (clusters.some((c) => c.state === 'Failed')) return 'Failed';
  const moving = apps.some((a) => a.syncing || statusOf(ctx, a) === 'Pending' || statusOf(ctx, a) === 'Progressing');
  return !ctx.earlierDone && !moving ? 'NotStarted' : 'Progressing';
}

function messageOf(ctx: WaveContext, step: number, apps: readonly AppView[], gate: Gate | undefined): string {
  const spec = ctx.set.steps[step]!;
  const what = `step ${step + 1}: Applications with ${selectorText(spec)}`;
  if (apps.length === 0) return `${what} — none match, so the step is skipped`;
  if (gate?.state === 'Waiting') return `${what} — maxUpdate 0: Argo CD syncs none by itself; approving syncs those still waiting`;
  if (gate?.state === 'NotStarted') return `${what} — maxUpdate 0: waits for an approval once the earlier steps are Healthy`;
  return spec.maxUpdate === undefined ? what : `${what} — maxUpdate ${spec.maxUpdate}`;
}

const newest = (ts: readonly (string | undefined)[]) =>
  ts
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
const oldest = (ts: readonly (string | undefined)[]) => ts.filter((t): t is string => t !== undefined).sort()[0];

export function mapStep(ctx: WaveContext, s: StepApps): Wave {
  const spec = ctx.set.steps[s.step]!;
  const gate = isGate(spec) && s.apps.length > 0 ? gateOf(ctx, s.apps) : undefined;
  const clusters = clustersOf(ctx, s.apps);
  const state = stateOf(ctx, s.apps, gate, clusters);
  const concurrency = concurrencyOf(spec);
  const startedAt = oldest(clusters.map((c) => c.startedAt));
  const finishedAt = state === 'Succeeded' ? newest(clusters.map((c) => c.finishedAt)) : undefined;
  return {
    name: s.wave,
    index: s.step,
    state,
    ...(concurrency !== undefined && { maxConcurrency: concurrency }),
    gates: gate ? [gate] : [],
    clusters,
    hiddenClusters: 0,
    progress: progressOf(clusters),
    ...(startedAt && { startedAt }),
    ...(finishedAt && { finishedAt }),
    message: messageOf(ctx, s.step, s.apps, gate),
  };
}
