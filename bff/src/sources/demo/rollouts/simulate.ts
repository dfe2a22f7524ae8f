import type { AfterGateSpec, PlannedWave, RunPlan } from './plan.ts';

/** What people did to a demo run, with when (epoch ms). The run at any time follows from its plan and these. */
export type DemoAction =
  | { kind: 'approve'; at: number; actor: string; wave: string; position: 'before' | 'after'; comment?: string }
  | { kind: 'pause'; at: number; actor: string; reason?: string }
  | { kind: 'resume'; at: number; actor: string }
  | { kind: 'abort'; at: number; actor: string };
export type ApproveAction = Extract<DemoAction, { kind: 'approve' }>;

/** Planned times (epoch ms); a time later than `t` is a projection, read as "not yet". */
export interface ClusterTimeline {
  name: string;
  startMs?: number;
  endMs?: number;
  failure?: string;
}

export interface GateTimeline {
  kind: 'Approval' | 'TimedWait';
  position: 'before' | 'after';
  waitSeconds?: number;
  waitingSinceMs?: number;
  /** TimedWait: waitingSince + waitSeconds. */
  elapsesMs?: number;
  approval?: ApproveAction;
}

export interface WaveTimeline {
  name: string;
  maxConcurrency: number;
  gates: GateTimeline[];
  clusters: ClusterTimeline[];
  startMs?: number;
  /** Its last cluster finished. */
  endMs?: number;
  /** The first failure in it (the failure threshold is 1). */
  failedMs?: number;
  /** Its after-gates let the next wave go. */
  passedMs?: number;
}

export interface RunTimeline {
  plan: RunPlan;
  waves: WaveTimeline[];
  /** The actions taken up to `t`, oldest first. */
  actions: DemoAction[];
  failedMs?: number;
  succeededMs?: number;
  abortedMs?: number;
  /** The pause in force at `t`, if any. */
  pausedBy?: Extract<DemoAction, { kind: 'pause' }>;
}

/** [pausedAt, resumedAt) spans; an open pause resumes at Infinity. */
function pauseSpans(actions: readonly DemoAction[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const a of actions) {
    const open = spans.at(-1);
    if (a.kind === 'pause' && (!open || open[1] !== Infinity)) spans.push([a.at, Infinity]);
    if (a.kind === 'resume' && open && open[1] === Infinity) open[1] = a.at;
  }
  return spans;
}

/**
 * The run's timeline as known at `t`: pure and deterministic, so the same plan, actions
 * and time always give the same run. A stopped run lets in-flight clusters finish and
 * starts no new cluster or wave until resumed; a failed cluster halts the run (failure
 * threshold 1), in-flight clusters finishing; TimedWaits count down even while stopped.
 */
export function simulateRun(plan: RunPlan, allActions: readonly DemoAction[], t: number): RunTimeline {
  const actions = allActions.filter((a) => a.at <= t).sort((a, b) => a.at - b.at);
  const spans = pauseSpans(actions);
  const runnable = (x: number): number => {
    let at = x;
    for (const [from, to] of spans) if (from <= at && at < to) at = to;
    return at;
  };
  const approvalOf = (wave: string, position: 'before' | 'after') =>
    actions.find((a): a is ApproveAction => a.kind === 'approve' && a.wave === wave && a.position === position);

  const waves: WaveTimeline[] = [];
  let cursor = plan.startMs;
  let failedMs: number | undefined;
  for (const wave of plan.waves) {
    const timeline = emptyWave(wave);
    waves.push(timeline);
    if (failedMs !== undefined || cursor === Infinity) continue;
    if (wave.before) {
      const gate = timeline.gates[0]!;
      gate.waitingSinceMs = runnable(cursor);
      if (gate.waitingSinceMs === Infinity) {
        delete gate.waitingSinceMs;
        cursor = Infinity;
        continue;
      }
      gate.approval = approvalOf(wave.name, 'before');
      cursor = gate.approval ? runnable(Math.max(gate.approval.at, gate.waitingSinceMs)) : Infinity;
      if (cursor === Infinity) continue;
    }
    schedule(timeline, wave, cursor, runnable);
    failedMs = timeline.failedMs;
    if (failedMs !== undefined || timeline.endMs === undefined) {
      cursor = Infinity;
      continue;
    }
    const after = timeline.gates.find((g) => g.position === 'after');
    if (!after) cursor = timeline.endMs;
    else if (after.kind === 'TimedWait') {
      after.waitingSinceMs = timeline.endMs;
      after.elapsesMs = timeline.endMs + (after.waitSeconds ?? 0) * 1000;
      cursor = runnable(after.elapsesMs);
    } else {
      after.waitingSinceMs = runnable(timeline.endMs);
      after.approval = after.waitingSinceMs === Infinity ? undefined : approvalOf(wave.name, 'after');
      if (after.waitingSinceMs === Infinity) delete after.waitingSinceMs;
      cursor =
        after.approval && after.waitingSinceMs !== undefined ? runnable(Math.max(after.approval.at, after.waitingSinceMs)) : Infinity;
    }
    if (cursor !== Infinity) timeline.passedMs = cursor;
  }
  const open = spans.at(-1);
  const pause = open && open[1] === Infinity ? actions.findLast((a) => a.kind === 'pause') : undefined;
  const abort = actions.find((a) => a.kind === 'abort');
  return {
    plan,
    waves,
    actions,
    ...(failedMs !== undefined && { failedMs }),
    ...(failedMs === undefined && cursor !== Infinity && { succeededMs: cursor }),
    ...(abort && { abortedMs: abort.at }),
    ...(pause?.kind === 'pause' && { pausedBy: pause }),
  };
}

function gateOf(after: AfterGateSpec): GateTimeline {
  return after.kind === 'TimedWait'
    ? { kind: 'TimedWait', position: 'after', waitSeconds: after.seconds }
    : { kind: 'Approval', position: 'after' };
}

function emptyWave(wave: PlannedWave): WaveTimeline {
  return {
    name: wave.name,
    maxConcurrency: wave.maxConcurrency,
    gates: [
      ...(wave.before ? [{ kind: 'Approval' as const, position: 'before' as const }] : []),
      ...(wave.after ? [gateOf(wave.after)] : []),
    ],
    clusters: wave.clusters.map((c) => ({ name: c.name, ...(c.failure && { failure: c.failure }) })),
  };
}

/**
 * Starts clusters in order, at most `maxConcurrency` at once, each as soon as a slot is
 * free and the run is not stopped; none starts once a cluster of the wave has failed.
 */
function schedule(timeline: WaveTimeline, wave: PlannedWave, startMs: number, runnable: (x: number) => number): void {
  timeline.startMs = startMs;
  const inFlight: number[] = [];
  let failedMs = Infinity;
  let lastEnd = startMs;
  for (const [i, c] of wave.clusters.entries()) {
    let free = startMs;
    if (inFlight.length >= wave.maxConcurrency) {
      inFlight.sort((a, b) => a - b);
      free = inFlight.shift()!;
    }
    const start = runnable(free);
    if (start === Infinity || start >= failedMs) break;
    const end = start + c.seconds * 1000;
    const cluster = timeline.clusters[i]!;
    cluster.startMs = start;
    cluster.endMs = end;
    inFlight.push(end);
    lastEnd = Math.max(lastEnd, end);
    if (c.failure) failedMs = Math.min(failedMs, end);
  }
  if (failedMs !== Infinity) timeline.failedMs = failedMs;
  else if (timeline.clusters.every((c) => c.endMs !== undefined)) timeline.endMs = lastEnd;
}
