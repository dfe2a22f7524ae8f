import type { Cluster, PartialError, RecordedApproval, RolloutActionResult } from '@fleetdeck/shared';

import {
  RolloutActionError,
  rolloutId,
  type ActionContext,
  type RolloutActions,
  type RolloutSource,
  type SourceRollout,
} from '../../rollouts/rollout-source.ts';
import { scenarioTimeline } from './cycles.ts';
import { decideAbort, decideApprove, decidePause, decideResume, decideRollback, type Decision } from './decide.ts';
import { planRollback, type RunPlan, type ScenarioSpec } from './plan.ts';
import { simulateRun, type DemoAction, type RunTimeline } from './simulate.ts';
import { toSourceRollout } from './to-rollout.ts';

interface Cycle {
  startMs: number;
  revision: number;
}

type Entry =
  | { kind: 'scenario'; id: string; spec: ScenarioSpec; first: Cycle; latest: Cycle }
  | { kind: 'rollback'; id: string; parentId: string; plan: RunPlan };

export interface DemoRolloutOptions {
  clusters: readonly Cluster[];
  scenarios: readonly ScenarioSpec[];
  now?: () => number;
  tickMs?: number;
}

/**
 * The demo's rollouts: each run is recomputed from its scenario, its start and the
 * actions taken (all kept in memory; nothing real is ever touched), on a clock tick and
 * after every action. Readers get the last computed state; listeners hear of what changed.
 */
export class DemoRolloutSource implements RolloutSource {
  readonly kinds = ['demo'] as const;
  readonly actions: RolloutActions;
  readonly #clusters: readonly Cluster[];
  readonly #now: () => number;
  readonly #tickMs: number;
  readonly #entries: Entry[] = [];
  readonly #actions = new Map<string, DemoAction[]>();
  readonly #latest = new Map<string, { rollout: SourceRollout; json: string }>();
  /** Approvals the approver policy counted, per gate occurrence (see gateKey): kept in memory like the actions. */
  readonly #recorded = new Map<string, RecordedApproval[]>();
  readonly #listeners = new Set<(id: string) => void>();
  #list: readonly SourceRollout[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(options: DemoRolloutOptions) {
    this.#clusters = options.clusters;
    this.#now = options.now ?? Date.now;
    this.#tickMs = options.tickMs ?? 1000;
    const startedAt = this.#now();
    for (const spec of options.scenarios) {
      const id = rolloutId('demo', spec.namespace, spec.name);
      const first = { startMs: startedAt + spec.startOffsetSeconds * 1000, revision: spec.revision };
      this.#entries.push({ kind: 'scenario', id, spec, first, latest: first });
      this.#actions.set(
        id,
        (spec.seeded ?? []).map((s) => ({
          kind: s.kind,
          at: startedAt + s.offsetSeconds * 1000,
          actor: s.actor,
          ...(s.reason !== undefined && { reason: s.reason }),
        })),
      );
    }
    this.refresh();
    this.actions = {
      approve: (ctx, r, wave, decision) =>
        this.#act(r.id, (now, at) => {
          const key = gateKey(now, wave);
          const d = decideApprove(
            now,
            wave,
            ctx.principal.user,
            decision,
            (key === undefined ? undefined : this.#recorded.get(key)) ?? [],
            at,
          );
          if (d.record && key) this.#recorded.set(key, [...(this.#recorded.get(key) ?? []), d.record]);
          return d;
        }),
      pause: (ctx, r, reason) => this.#act(r.id, (now, at) => decidePause(now, ctx.principal.user, reason, at)),
      resume: (ctx, r) => this.#act(r.id, (now, at) => decideResume(now, ctx.principal.user, at)),
      abort: (ctx, r) => this.#abort(ctx, r),
      rollback: (ctx, r) => this.#rollback(ctx, r),
      unpin: () =>
        Promise.reject(new RolloutActionError(409, 'only a Rancher Fleet GitRepo can be pinned; this demo run has no pin to remove')),
    };
  }

  start(): Promise<void> {
    this.refresh();
    if (this.#tickMs > 0 && !this.#timer) {
      this.#timer = setInterval(() => this.refresh(), this.#tickMs);
      this.#timer.unref();
    }
    return Promise.resolve();
  }

  stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    return Promise.resolve();
  }

  list(): readonly SourceRollout[] {
    return this.#list;
  }

  get(id: string): SourceRollout | undefined {
    return this.#latest.get(id)?.rollout;
  }

  errors(): PartialError[] {
    return [];
  }

  onChange(listener: (id: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Recomputes every run at the current time and tells listeners which ones changed, appeared or went. */
  refresh(): void {
    const t = this.#now();
    const changed: string[] = [];
    const seen = new Set<string>();
    for (const entry of this.#entries) {
      const mapped = toSourceRollout(this.#timeline(entry, t), t);
      if (!mapped) continue;
      const rollout = this.#withRecorded(mapped);
      seen.add(entry.id);
      const json = JSON.stringify(rollout);
      if (this.#latest.get(entry.id)?.json === json) continue;
      this.#latest.set(entry.id, { rollout, json });
      changed.push(entry.id);
    }
    for (const id of this.#latest.keys()) {
      if (seen.has(id)) continue;
      this.#latest.delete(id);
      changed.push(id);
    }
    if (changed.length === 0) return;
    this.#list = [...this.#latest.values()].map((x) => x.rollout);
    for (const id of changed) for (const l of this.#listeners) l(id);
  }

  /**
   * The run with the approvals recorded for each wave's waiting (or last) approval gate, and
   * in its history (as a KubeFleet request's annotation shows them): counted approvals, and
   * the not-ready reason and readiness snapshot on the approval that released the gate.
   */
  #withRecorded(r: SourceRollout): SourceRollout {
    const recorded: Record<string, readonly RecordedApproval[]> = {};
    for (const w of r.waves) {
      const key = gateKey(r, w.name);
      const list = key === undefined ? undefined : this.#recorded.get(key);
      if (list && list.length > 0) recorded[w.name] = list;
    }
    if (Object.keys(recorded).length === 0) return r;
    const history = r.history.map((h) => {
      const mine = h.action === 'approve' && h.wave !== undefined ? recorded[h.wave]?.find((a) => a.user === h.actor) : undefined;
      return mine ? { ...h, ...notReadyOf(mine) } : h;
    });
    for (const [wave, list] of Object.entries(recorded))
      for (const a of list) {
        if (history.some((h) => h.action === 'approve' && h.wave === wave && h.actor === a.user)) continue;
        history.push({
          at: a.at,
          actor: a.user,
          action: 'approve',
          wave,
          result: 'counted',
          ...(a.comment !== undefined && { comment: a.comment }),
          ...notReadyOf(a),
          from: 'upstream',
        });
      }
    history.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
    return { ...r, recordedApprovals: recorded, history };
  }

  #timeline(entry: Entry, t: number): RunTimeline {
    const actions = this.#actions.get(entry.id) ?? [];
    if (entry.kind === 'rollback') return simulateRun(entry.plan, actions, t);
    // Old cycles of a restarting scenario are not replayed every tick; only if the clock went back.
    const from = entry.latest.startMs <= t ? entry.latest : entry.first;
    const timeline = scenarioTimeline(entry.spec, this.#clusters, from, actions, t);
    entry.latest = { startMs: timeline.plan.startMs, revision: timeline.plan.revision };
    return timeline;
  }

  /** The run as it is at this instant (not the last tick's), so actions are judged on the present. */
  #current(id: string, t: number): { entry: Entry; timeline: RunTimeline; rollout: SourceRollout | undefined } | undefined {
    const entry = this.#entries.find((e) => e.id === id);
    if (!entry) return undefined;
    const timeline = this.#timeline(entry, t);
    const rollout = toSourceRollout(timeline, t);
    return { entry, timeline, rollout: rollout && this.#withRecorded(rollout) };
  }

  #record(id: string, decision: Decision): RolloutActionResult {
    if (decision.action) this.#actions.get(id)?.push(decision.action);
    if (decision.action || decision.record) this.refresh();
    return decision.result;
  }

  #act(id: string, decide: (rollout: SourceRollout, at: number) => Decision): Promise<RolloutActionResult> {
    try {
      const t = this.#now();
      const rollout = this.#current(id, t)?.rollout;
      if (!rollout) throw new RolloutActionError(404, 'no such rollout');
      return Promise.resolve(this.#record(id, decide(rollout, t)));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  #abort(ctx: ActionContext, r: SourceRollout): Promise<RolloutActionResult> {
    const t = this.#now();
    const current = this.#current(r.id, t);
    if (!current) return Promise.reject(new RolloutActionError(404, 'no such rollout'));
    return Promise.resolve(this.#record(r.id, decideAbort(current.rollout, r.name, ctx.principal.user, t)));
  }

  #rollback(_ctx: ActionContext, r: SourceRollout): Promise<RolloutActionResult> {
    try {
      const t = this.#now();
      const current = this.#current(r.id, t);
      if (!current?.rollout) throw new RolloutActionError(404, 'no such rollout');
      const { rollout, timeline } = current;
      const previous = this.#entries.filter((e) => e.kind === 'rollback' && e.parentId === r.id);
      const inProgress = previous
        .map((e) => this.#current(e.id, t)?.rollout)
        .find((x) => x !== undefined && x.state !== 'Succeeded' && x.state !== 'Failed');
      const refusal = decideRollback(rollout, inProgress);
      if (refusal) return Promise.resolve(refusal.result);
      const name = `${rollout.name}-rollback-${previous.length + 1}`;
      const plan = planRollback(timeline.plan, name, new Set(rollout.rollback?.clusters), t);
      const id = rolloutId('demo', plan.namespace, name);
      this.#entries.push({ kind: 'rollback', id, parentId: r.id, plan });
      this.#actions.set(id, []);
      this.refresh();
      return Promise.resolve({
        outcome: 'done',
        code: 'rollbackStarted',
        message: `run ${name} returns ${rollout.rollback?.clusters.length ?? 0} cluster(s) to revision ${plan.revision}`,
      });
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

const notReadyOf = (a: RecordedApproval) => ({
  ...(a.notReadyReason !== undefined && { notReadyReason: a.notReadyReason }),
  ...(a.readiness !== undefined && { readiness: a.readiness }),
});

/**
 * One occurrence of a wave's approval gate (waiting, else the last approved): a restarted
 * scenario cycle waits again at a new time, so its approvals start from none.
 */
function gateKey(r: SourceRollout, wave: string): string | undefined {
  const gates = r.waves.find((w) => w.name === wave)?.gates.filter((g) => g.kind === 'Approval') ?? [];
  const gate = gates.find((g) => g.state === 'Waiting') ?? gates.findLast((g) => g.state === 'Approved');
  return gate && `${r.id}|${wave}|${gate.position}|${gate.waitingSince ?? ''}`;
}
