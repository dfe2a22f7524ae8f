import type { Cluster } from '@fleetdeck/shared';

import type { InventoryEvent, InventorySnapshot, InventorySource } from './inventory.ts';

/**
 * Several inventory sources as one. Cluster names are unique across a fleet; if two
 * sources report the same name, the one configured first wins and the other is ignored.
 */
export class MergedInventory implements InventorySource {
  readonly kind: Cluster['source'];
  readonly #sources: InventorySource[];
  #cache: { key: string; snapshot: InventorySnapshot } | undefined;

  constructor(sources: InventorySource[]) {
    if (sources.length === 0) throw new Error('no inventory source configured');
    this.#sources = sources;
    this.kind = sources[0]!.kind;
  }

  async start(): Promise<void> {
    await Promise.all(this.#sources.map((s) => s.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.#sources.map((s) => s.stop()));
  }

  isReady(): boolean {
    return this.#sources.every((s) => s.isReady());
  }

  snapshot(): InventorySnapshot {
    if (this.#sources.length === 1) return this.#sources[0]!.snapshot();
    const parts = this.#sources.map((s) => s.snapshot());
    const key = parts.map((p) => p.version).join('.');
    if (this.#cache?.key === key) return this.#cache.snapshot;
    const seen = new Set<string>();
    const clusters: Cluster[] = [];
    for (const p of parts) {
      for (const c of p.clusters) {
        if (seen.has(c.name)) continue;
        seen.add(c.name);
        clusters.push(c);
      }
    }
    const snapshot: InventorySnapshot = {
      // Each part's version only grows, so their sum does too.
      version: parts.reduce((sum, p) => sum + p.version, 0),
      clusters,
      syncedAt: new Date(Math.min(...parts.map((p) => p.syncedAt.getTime()))),
      errors: parts.flatMap((p) => p.errors),
    };
    this.#cache = { key, snapshot };
    return snapshot;
  }

  subscribe(listener: (event: InventoryEvent) => void): () => void {
    const offs = this.#sources.map((s) => s.subscribe(listener));
    return () => offs.forEach((off) => off());
  }
}
