import type { Cluster } from '@fleetdeck/shared';

import { planRun, type ScenarioSpec } from './plan.ts';
import { simulateRun, type DemoAction, type RunTimeline } from './simulate.ts';

/** When a run ended (aborted, failed or succeeded) at or before `t`. */
export function endedAt(run: RunTimeline, t: number): number | undefined {
  const end = run.abortedMs ?? run.failedMs ?? run.succeededMs;
  return end !== undefined && end <= t ? end : undefined;
}

/**
 * A scenario's run at `t`. One that restarts begins again with the next revision
 * `restartAfterSeconds` after each end; actions belong to the cycle they were taken in.
 * Pure: the same scenario, fleet, first cycle, actions and time give the same run.
 * `from` is the first cycle (the scenario's start and revision) or, to skip replaying
 * old cycles, a later one this function returned for an earlier time.
 */
export function scenarioTimeline(
  spec: ScenarioSpec,
  clusters: readonly Cluster[],
  from: { startMs: number; revision: number },
  actions: readonly DemoAction[],
  t: number,
): RunTimeline {
  let { startMs, revision } = from;
  for (;;) {
    const cycleStart = startMs;
    const run = simulateRun(
      planRun(spec, clusters, cycleStart, revision),
      actions.filter((a) => a.at >= cycleStart),
      t,
    );
    const end = endedAt(run, t);
    if (spec.restartAfterSeconds === undefined || end === undefined) return run;
    // At least a second apart, so a run with no clusters (it ends as it starts) cannot spin.
    const next = end + Math.max(1, spec.restartAfterSeconds) * 1000;
    if (next > t) return run;
    startMs = next;
    revision++;
  }
}
