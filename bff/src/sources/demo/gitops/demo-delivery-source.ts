import type { Cluster, DeliveryActionResult, PartialError } from '@fleetdeck/shared';

import { DeliveryActionError, type DeliveryActions, type DeliverySource, type SourceDelivery } from '../../gitops/delivery-source.ts';
import { DemoDeliveryActions } from './demo-actions.ts';
import { demoApps } from './demo-argo-catalogue.ts';
import { demoRepos } from './demo-fleet-catalogue.ts';
import { namedClusters } from './demo-git.ts';
import { toSource, type AppState, type DemoDelivery, type RepoState } from './demo-state.ts';

export interface DemoDeliveryOptions {
  clusters: readonly Cluster[];
  now?: () => Date;
}

/**
 * The demo fleet's GitRepos and Applications (both engines, every tenant, over the brief's
 * named clusters), handed out as the real Fleet and Argo CD sources hand them out and
 * moved only by the actions (a sync runs, a force update re-applies). Nothing real is
 * touched; every record handed out is new after a change, and listeners hear the ids.
 */
export function demoDeliverySource(options: DemoDeliveryOptions): DeliverySource {
  return new DemoDeliverySource(options);
}

class DemoDeliverySource implements DeliverySource {
  readonly engines = ['fleet', 'argocd'] as const;
  readonly actions: DeliveryActions;
  readonly #state = new Map<string, DemoDelivery>();
  readonly #records = new Map<string, SourceDelivery>();
  readonly #listeners = new Set<(ids: readonly string[]) => void>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #now: () => number;
  #list: readonly SourceDelivery[] = [];

  constructor(options: DemoDeliveryOptions) {
    const now = options.now ?? (() => new Date());
    this.#now = () => now().getTime();
    const start = this.#now();
    const clusters = namedClusters(options.clusters);
    for (const d of [...demoRepos(clusters, start), ...demoApps(clusters, start)]) {
      this.#state.set(d.id, d);
      this.#records.set(d.id, toSource(d));
    }
    this.#list = [...this.#records.values()];
    const demo = new DemoDeliveryActions({
      now: this.#now,
      later: (ms, step) => this.#later(ms, step),
      changed: (d) => this.#changed(d),
    });
    this.actions = {
      forceUpdate: (_ctx, d, click) => this.#act(() => demo.forceUpdate(this.#fleet(d, 'force update'), click)),
      setPaused: (_ctx, d, paused) => this.#act(() => demo.setPaused(this.#fleet(d, paused ? 'pause' : 'resume'), paused)),
      sync: (ctx, d, opts) => this.#act(() => demo.sync(ctx.principal.user, this.#argo(d, 'sync'), opts)),
      refresh: (_ctx, d, hard) => this.#act(() => demo.refresh(this.#argo(d, 'refresh'), hard)),
    };
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  /** Stops every motion under way (a sync that was running stays as it was). */
  stop(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    return Promise.resolve();
  }

  list(): readonly SourceDelivery[] {
    return this.#list;
  }

  get(id: string): SourceDelivery | undefined {
    return this.#records.get(id);
  }

  errors(): PartialError[] {
    return [];
  }

  onChange(listener: (ids: readonly string[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #later(ms: number, step: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      step();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  #changed(d: DemoDelivery): void {
    this.#records.set(d.id, toSource(d));
    this.#list = [...this.#records.values()];
    for (const l of this.#listeners) l([d.id]);
  }

  #fleet(d: SourceDelivery, what: string): RepoState {
    const s = this.#state.get(d.id);
    if (!s) throw new DeliveryActionError(404, 'No such delivery');
    if (s.engine !== 'fleet') throw new DeliveryActionError(400, `Not a Fleet GitRepo: ${what} is for GitRepos`);
    return s;
  }

  #argo(d: SourceDelivery, what: string): AppState {
    const s = this.#state.get(d.id);
    if (!s) throw new DeliveryActionError(404, 'No such delivery');
    if (s.engine !== 'argocd') throw new DeliveryActionError(400, `Not an Argo CD Application: ${what} is for Applications`);
    return s;
  }

  #act(run: () => DeliveryActionResult): Promise<DeliveryActionResult> {
    try {
      return Promise.resolve(run());
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
