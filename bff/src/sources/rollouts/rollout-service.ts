import type { FleetRollouts, PartialError, RolloutHistoryEntry, RolloutState } from '@fleetdeck/shared';

import type { RolloutSource, SourceRollout } from './rollout-source.ts';

/** One rollout added, changed or deleted: what it was and what it is now (undefined: absent). */
export interface RolloutChange {
  id: string;
  before: SourceRollout | undefined;
  after: SourceRollout | undefined;
}

type FleetRunState = FleetRollouts['clusters'][string][number]['state'];
/** Unfinished runs per cluster; each entry carries its rollout, so a person's view of it can be judged. */
export type RunsByCluster = Map<string, (FleetRollouts['clusters'][string][number] & { id: string; rollout: SourceRollout })[]>;

const FLEET_STATE: Record<RolloutState, FleetRunState | undefined> = {
  Initializing: 'Pending',
  Progressing: 'Progressing',
  AwaitingApproval: 'Waiting',
  Waiting: 'Waiting',
  Stopped: 'Stopped',
  Unknown: 'Pending',
  // Finished runs are not in the fleet table's cell.
  Succeeded: undefined,
  Failed: undefined,
};

export interface RolloutServiceOptions {
  /** This replica's action history kept per rollout (newest kept). */
  historyPerRollout?: number;
  /** Rollouts whose action history is kept (least recently written dropped first). */
  historyRollouts?: number;
}

/**
 * The configured rollout sources as one: reads are answered from the sources' memory,
 * writes go to the source that owns the id, and every change is published once with the
 * rollout as it was and as it is, so the event hub can tell who stopped seeing it.
 */
export class RolloutService {
  readonly #sources: readonly RolloutSource[];
  readonly #last = new Map<string, SourceRollout>();
  readonly #listeners = new Set<(change: RolloutChange) => void>();
  readonly #history = new Map<string, RolloutHistoryEntry[]>();
  /** Bumped on every entry recorded: views that include the history are cached by it. */
  #historyVersion = 0;
  readonly #opts: Required<RolloutServiceOptions>;
  #unsubscribe: (() => void)[] = [];

  constructor(sources: readonly RolloutSource[], options: RolloutServiceOptions = {}) {
    this.#sources = sources;
    this.#opts = { historyPerRollout: 100, historyRollouts: 2000, ...options };
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#sources.map((s) => s.onChange((id) => this.#changed(s, id)));
    await Promise.all(this.#sources.map((s) => s.start()));
    for (const s of this.#sources) for (const r of s.list()) if (!this.#last.has(r.id)) this.#last.set(r.id, r);
  }

  async stop(): Promise<void> {
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
    await Promise.all(this.#sources.map((s) => s.stop()));
  }

  list(): SourceRollout[] {
    return this.#sources.flatMap((s) => s.list());
  }

  get(id: string): SourceRollout | undefined {
    return this.sourceFor(id)?.get(id);
  }

  /** The source whose kind prefixes the id (`<source>~…`). */
  sourceFor(id: string): RolloutSource | undefined {
    const kind = id.slice(0, id.indexOf('~'));
    return this.#sources.find((s) => (s.kinds as readonly string[]).includes(kind));
  }

  errors(): PartialError[] {
    return this.#sources.flatMap((s) => s.errors());
  }

  /** Every add, change and delete, with before and after. Returns the unsubscribe. */
  onChange(listener: (change: RolloutChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(source: RolloutSource, id: string): void {
    const before = this.#last.get(id);
    // No copy: sources replace a rollout that changed, never mutate one they handed out (see
    // RolloutSource), so the object published as `after` stays what it was. A deep copy of a
    // 1,000-cluster rollout cost more than mapping it, on every change.
    const after = source.get(id);
    if (after) this.#last.set(id, after);
    else this.#last.delete(id);
    if (!before && !after) return;
    for (const l of this.#listeners) l({ id, before, after });
  }

  /** Records an action taken through this replica, for the rollout's history. */
  recordHistory(id: string, entry: RolloutHistoryEntry): void {
    this.#historyVersion++;
    const list = this.#history.get(id) ?? [];
    this.#history.delete(id);
    list.push(entry);
    if (list.length > this.#opts.historyPerRollout) list.splice(0, list.length - this.#opts.historyPerRollout);
    this.#history.set(id, list);
    if (this.#history.size > this.#opts.historyRollouts) this.#history.delete(this.#history.keys().next().value!);
  }

  /** Changes whenever any rollout's replica history gains an entry. */
  historyVersion(): number {
    return this.#historyVersion;
  }

  history(id: string): readonly RolloutHistoryEntry[] {
    return this.#history.get(id) ?? [];
  }

  /** Unfinished runs per touched cluster, for the fleet table's rollout cell. */
  byCluster(): { clusters: RunsByCluster; errors: PartialError[] } {
    const clusters: RunsByCluster = new Map();
    for (const r of this.list()) {
      const state = FLEET_STATE[r.state];
      if (!state) continue;
      for (const name of new Set(r.touches)) {
        const list = clusters.get(name) ?? [];
        list.push({ run: r.name, ...(r.namespace && { namespace: r.namespace }), state, id: r.id, rollout: r });
        clusters.set(name, list);
      }
    }
    return { clusters, errors: this.errors() };
  }
}
