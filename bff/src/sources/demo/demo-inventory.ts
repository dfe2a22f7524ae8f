import type { InventoryEvent, InventorySnapshot, InventorySource } from '../inventory.ts';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

/**
 * The demo fleet behind the same interface as the real adapters: only this lowest
 * layer is simulated; scoping, tree building and caching are the real code.
 */
export class DemoInventory implements InventorySource {
  readonly kind = 'demo' as const;
  readonly #syntheticClusters: number;
  readonly #now: () => Date;
  readonly #listeners = new Set<(event: InventoryEvent) => void>();
  #snapshot: InventorySnapshot | undefined;

  constructor(options: { syntheticClusters?: number; now?: () => Date } = {}) {
    this.#syntheticClusters = options.syntheticClusters ?? 0;
    this.#now = options.now ?? (() => new Date());
  }

  start(): Promise<void> {
    const now = this.#now();
    this.#snapshot = { version: 1, clusters: demoClusters(now, this.#syntheticClusters), syncedAt: now, errors: [] };
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.#listeners.clear();
    this.#snapshot = undefined;
    return Promise.resolve();
  }

  isReady(): boolean {
    return this.#snapshot !== undefined;
  }

  snapshot(): InventorySnapshot {
    if (!this.#snapshot) throw new Error('demo inventory read before start()');
    return this.#snapshot;
  }

  subscribe(listener: (event: InventoryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
