import type { ClusterRolloutStatus, Condition, Gate, RolloutProgress, RolloutState, Wave, WaveState } from '@fleetdeck/shared';

import { rolloutId, type SourceRollout } from '../../rollouts/rollout-source.ts';
import type { ClusterTimeline, GateTimeline, RunTimeline, WaveTimeline } from './simulate.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const reached = (ms: number | undefined, t: number): ms is number => ms !== undefined && ms <= t;

function clusterAt(c: ClusterTimeline, t: number): ClusterRolloutStatus {
  if (!reached(c.startMs, t)) return { cluster: c.name, state: 'Pending' };
  if (!reached(c.endMs, t)) return { cluster: c.name, state: 'Updating', startedAt: iso(c.startMs) };
  return {
    cluster: c.name,
    state: c.failure ? 'Failed' : 'Succeeded',
    ...(c.failure && { message: c.failure }),
    startedAt: iso(c.startMs),
    finishedAt: iso(c.endMs),
  };
}

function gateAt(run: RunTimeline, wave: string, g: GateTimeline, t: number): Gate {
  const base = {
    kind: g.kind,
    position: g.position,
    ...(g.waitSeconds !== undefined && { waitSeconds: g.waitSeconds }),
    ...(g.kind === 'Approval' && { approvalName: `${run.plan.name}-${g.position}-${wave}` }),
  };
  if (!reached(g.waitingSinceMs, t)) return { ...base, state: 'NotStarted' };
  const waitingSince = iso(g.waitingSinceMs);
  if (g.kind === 'TimedWait') {
    const elapsesAt = g.elapsesMs ?? g.waitingSinceMs;
    return { ...base, state: elapsesAt <= t ? 'Elapsed' : 'Waiting', waitingSince, elapsesAt: iso(elapsesAt) };
  }
  if (!g.approval) return { ...base, state: 'Waiting', waitingSince };
  return {
    ...base,
    state: 'Approved',
    // The simulated controller acknowledges an approval as soon as it is written.
    accepted: true,
    waitingSince,
    approvedBy: g.approval.actor,
    approvedAt: iso(g.approval.at),
    ...(g.approval.comment !== undefined && { comment: g.approval.comment }),
  };
}

function progressOf(clusters: readonly ClusterRolloutStatus[]): RolloutProgress {
  return {
    total: clusters.length,
    succeeded: clusters.filter((c) => c.state === 'Succeeded').length,
    failed: clusters.filter((c) => c.state === 'Failed').length,
    updating: clusters.filter((c) => c.state === 'Updating').length,
  };
}

function waveState(
  w: WaveTimeline,
  gates: readonly Gate[],
  clusters: readonly ClusterRolloutStatus[],
  paused: boolean,
  t: number,
): WaveState {
  if (reached(w.failedMs, t)) return 'Failed';
  const before = gates.find((g) => g.position === 'before');
  if (before?.state === 'Waiting') return 'AwaitingApproval';
  if (!reached(w.startMs, t)) return 'NotStarted';
  if (clusters.some((c) => c.state === 'Pending' || c.state === 'Updating')) return paused ? 'Stopped' : 'Progressing';
  const after = gates.find((g) => g.position === 'after');
  if (after?.state === 'Waiting') return after.kind === 'Approval' ? 'AwaitingApproval' : 'Waiting';
  return 'Succeeded';
}

const WAVE_MESSAGES: Partial<Record<WaveState, string>> = {
  Failed: 'a cluster failed (failure threshold 1): the run halted',
  AwaitingApproval: 'waiting for an approval',
  Waiting: 'waiting before the next wave',
  Stopped: 'stopped: clusters in flight finish, no new ones start',
};

function waveAt(run: RunTimeline, w: WaveTimeline, index: number, paused: boolean, t: number): Wave {
  const clusters = w.clusters.map((c) => clusterAt(c, t));
  const gates = w.gates.map((g) => gateAt(run, w.name, g, t));
  const state = waveState(w, gates, clusters, paused, t);
  const finishedMs = w.failedMs ?? w.endMs;
  const message = WAVE_MESSAGES[state];
  return {
    name: w.name,
    index,
    state,
    maxConcurrency: w.maxConcurrency,
    gates,
    clusters,
    hiddenClusters: 0,
    progress: progressOf(clusters),
    ...(reached(w.startMs, t) && { startedAt: iso(w.startMs) }),
    ...(reached(finishedMs, t) && { finishedAt: iso(finishedMs) }),
    ...(message && { message }),
  };
}

function runState(run: RunTimeline, waves: readonly Wave[], t: number): RolloutState {
  if (t < run.plan.startMs) return 'Initializing';
  if (reached(run.failedMs, t)) return 'Failed';
  if (reached(run.succeededMs, t)) return 'Succeeded';
  if (run.pausedBy) return 'Stopped';
  if (waves.some((w) => w.state === 'AwaitingApproval')) return 'AwaitingApproval';
  if (waves.some((w) => w.state === 'Waiting')) return 'Waiting';
  return 'Progressing';
}

/** Every time at or before `t` when something about the run changed. */
function lastChange(run: RunTimeline, t: number): number {
  const times = [run.plan.startMs, ...run.actions.map((a) => a.at)];
  for (const w of run.waves) {
    times.push(w.startMs ?? -Infinity, w.failedMs ?? -Infinity, w.passedMs ?? -Infinity);
    for (const g of w.gates) times.push(g.waitingSinceMs ?? -Infinity, g.elapsesMs ?? -Infinity);
    for (const c of w.clusters) times.push(c.startMs ?? -Infinity, c.endMs ?? -Infinity);
  }
  return times.reduce((latest, x) => (x <= t && x > latest ? x : latest), run.plan.startMs);
}

function conditionsOf(state: RolloutState, run: RunTimeline, t: number): Condition[] {
  const conditions: Condition[] = [
    { type: 'Initialized', status: 'True', reason: 'UpdateRunInitializedSuccessfully', lastTransitionTime: iso(run.plan.startMs) },
  ];
  const progressing: Record<RolloutState, [Condition['status'], string]> = {
    Initializing: ['Unknown', 'UpdateRunInitializing'],
    Progressing: ['True', 'UpdateRunProgressing'],
    AwaitingApproval: ['False', 'UpdateRunWaiting'],
    Waiting: ['False', 'UpdateRunWaiting'],
    Stopped: ['False', 'UpdateRunStopped'],
    Succeeded: ['False', 'UpdateRunSucceeded'],
    Failed: ['False', 'UpdateRunFailed'],
    Unknown: ['Unknown', 'UpdateRunUnknown'],
  };
  const [status, reason] = progressing[state];
  conditions.push({ type: 'Progressing', status, reason });
  if (reached(run.succeededMs, t))
    conditions.push({ type: 'Succeeded', status: 'True', reason: 'UpdateRunSucceeded', lastTransitionTime: iso(run.succeededMs) });
  if (reached(run.failedMs, t))
    conditions.push({ type: 'Succeeded', status: 'False', reason: 'UpdateRunFailed', lastTransitionTime: iso(run.failedMs) });
  return conditions;
}

function historyOf(run: RunTimeline): SourceRollout['history'] {
  return run.actions
    .filter((a) => a.kind !== 'abort')
    .map((a) => ({
      at: iso(a.at),
      actor: a.actor,
      action: a.kind,
      from: 'upstream' as const,
      ...(a.kind === 'approve' && { wave: a.wave, result: 'approved', ...(a.comment !== undefined && { comment: a.comment }) }),
      ...(a.kind === 'pause' && { result: 'paused', ...(a.reason !== undefined && { comment: a.reason }) }),
      ...(a.kind === 'resume' && { result: 'resumed' }),
    }));
}

function messageOf(state: RolloutState, run: RunTimeline, waves: readonly Wave[]): string | undefined {
  if (state === 'Failed') {
    const failed = waves.flatMap((w) => w.clusters).find((c) => c.state === 'Failed');
    return failed && `cluster ${failed.cluster} failed: ${failed.message ?? 'unknown error'}; the run halted (failure threshold 1)`;
  }
  if (state === 'Stopped') return `stopped by ${run.pausedBy?.actor ?? 'someone'}${run.pausedBy?.reason ? `: ${run.pausedBy.reason}` : ''}`;
  if (state === 'AwaitingApproval')
    return `waiting for an approval at wave ${waves.find((w) => w.state === 'AwaitingApproval')?.name ?? ''}`;
  return undefined;
}

/** The run as the neutral model has it at `t` (unredacted, no per-person fields); undefined once aborted. */
export function toSourceRollout(run: RunTimeline, t: number): SourceRollout | undefined {
  if (reached(run.abortedMs, t)) return undefined;
  const { plan } = run;
  const paused = run.pausedBy !== undefined;
  const waves = run.waves.map((w, i) => waveAt(run, w, i, paused, t));
  const state = runState(run, waves, t);
  const clusters = waves.flatMap((w) => w.clusters);
  const finished = state === 'Succeeded' || state === 'Failed';
  const current =
    finished && state !== 'Failed'
      ? undefined
      : (waves.find((w) => !['Succeeded', 'NotStarted'].includes(w.state)) ?? waves.find((w) => w.state === 'NotStarted'));
  const awaiting = waves.flatMap((w) =>
    w.gates.filter((g) => g.kind === 'Approval' && g.state === 'Waiting').map((g) => ({ wave: w.name, position: g.position })),
  )[0];
  const touched = clusters.filter((c) => c.state !== 'Pending').map((c) => c.cluster);
  const message = messageOf(state, run, waves);
  return {
    id: rolloutId('demo', plan.namespace, plan.name),
    name: plan.name,
    ...(plan.namespace && { namespace: plan.namespace }),
    ...(plan.tenant && { tenant: plan.tenant }),
    source: 'demo',
    target: plan.target,
    revision: String(plan.revision),
    state,
    ...(current && { currentWave: current.name }),
    progress: progressOf(clusters),
    ...(awaiting && { awaitingApproval: awaiting }),
    createdAt: iso(plan.startMs),
    updatedAt: iso(lastChange(run, t)),
    ...(message && { message }),
    policy: plan.policy,
    waves,
    conditions: conditionsOf(state, run, t),
    ...(plan.previousRevision !== undefined && {
      rollback: {
        toRevision: String(plan.previousRevision),
        fromRevision: String(plan.revision),
        clusters: touched,
        hiddenClusters: 0,
        note: `A new run returns the ${touched.length} cluster(s) this run touched to revision ${plan.previousRevision}; clusters it has not reached are left alone.`,
      },
    }),
    history: historyOf(run),
    errors: [],
    touches: clusters.map((c) => c.cluster),
  };
}
