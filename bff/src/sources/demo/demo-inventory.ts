import type { Cluster } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import type { InventoryEvent, InventorySnapshot, InventorySource } from '../inventory.ts';

/**
 * The demo fleet behind the same interface as the real adapters: only this lowest
 * layer is simulated; scoping, tree building, caching and live events are the real code.
 * Healthy clusters' agents "heartbeat" every `heartbeatMs`, so the demo is live.
 */
export class DemoInventory implements InventorySource {
  readonly kind = 'demo' as const;
  readonly #syntheticClusters: number;
  readonly #now: () => Date;
  readonly #heartbeatMs: number;
  readonly #listeners = new Set<(event: InventoryEvent) => void>();
  readonly #clusters = new Map<string, Cluster>();
  #version = 0;
  #syncedAt = new Date(0);
  #started = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { syntheticClusters?: number; now?: () => Date; heartbeatMs?: number } = {}) {
    this.#syntheticClusters = options.syntheticClusters ?? 0;
    this.#now = options.now ?? (() => new Date());
    this.#heartbeatMs = options.heartbeatMs ?? 0;
  }

  start(): Promise<void> {
    const now = this.#now();
    for (const c of demoClusters(now, this.#syntheticClusters)) this.#clusters.set(c.name, c);
    this.#version = 1;
    this.#syncedAt = now;
    this.#started = true;
    if (this.#heartbeatMs > 0) {
      this.#timer = setInterval(() => this.#heartbeat(), this.#heartbeatMs);
      this.#timer.unref();
    }
    return Promise.resolve();
  }

  #heartbeat(): void {
    const at = this.#now().toISOString();
    for (const c of this.#clusters.values()) if (c.state === 'Ready') this.update(c.name, { lastHeartbeat: at });
    this.#syncedAt = this.#now();
  }

  /** Changes a cluster as an upstream change would, and tells subscribers. */
  update(name: string, patch: Partial<Omit<Cluster, 'name'>>): Cluster {
    const previous = this.#clusters.get(name);
    if (!previous) throw new Error(`no demo cluster ${name}`);
    const cluster = { ...previous, ...patch };
    this.#clusters.set(name, cluster);
    this.#emit({ type: 'MODIFIED', cluster, previous });
    return cluster;
  }

  #emit(event: InventoryEvent): void {
    this.#version++;
    // syncedAt is not touched: a change to one tenant's cluster must not change what
    // another tenant receives (their fleet answer, its ETag). The heartbeat tick, which
    // happens whatever anyone's clusters do, is the demo's "re-list".
    for (const l of this.#listeners) l(event);
  }

  stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#listeners.clear();
    this.#clusters.clear();
    this.#started = false;
    return Promise.resolve();
  }

  isReady(): boolean {
    return this.#started;
  }

  snapshot(): InventorySnapshot {
    if (!this.#started) throw new Error('demo inventory read before start()');
    return { version: this.#version, clusters: [...this.#clusters.values()], syncedAt: this.#syncedAt, errors: [] };
  }

  subscribe(listener: (event: InventoryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
