import type { PartialError } from '@fleetdeck/shared';

import type { DeliverySource, SourceDelivery } from './delivery-source.ts';

/** Deliveries added, changed or deleted: each as it was and as it is now (undefined: absent). */
export interface DeliveryChange {
  id: string;
  before: SourceDelivery | undefined;
  after: SourceDelivery | undefined;
}

/**
 * The configured delivery sources as one: reads from the sources' memory, writes to the
 * source that owns the id, and every change published once with the delivery as it was and
 * as it is (so the event hub can tell who stopped seeing it). `version` grows with every
 * change: per-person views are cached by it.
 */
export class DeliveryService {
  readonly #sources: readonly DeliverySource[];
  readonly #last = new Map<string, SourceDelivery>();
  readonly #owner = new Map<string, DeliverySource>();
  readonly #listeners = new Set<(changes: readonly DeliveryChange[]) => void>();
  #unsubscribe: (() => void)[] = [];
  #version = 0;

  constructor(sources: readonly DeliverySource[]) {
    this.#sources = sources;
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#sources.map((s) => s.onChange((ids) => this.#changed(s, ids)));
    await Promise.all(this.#sources.map((s) => s.start()));
    for (const s of this.#sources)
      for (const d of s.list()) {
        this.#last.set(d.id, d);
        this.#owner.set(d.id, s);
      }
    this.#version++;
  }

  async stop(): Promise<void> {
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
    await Promise.all(this.#sources.map((s) => s.stop()));
  }

  /** Grows with every change; equal versions mean equal `list()`. */
  get version(): number {
    return this.#version;
  }

  get engines(): readonly DeliverySource['engines'][number][] {
    return [...new Set(this.#sources.flatMap((s) => s.engines))];
  }

  list(): readonly SourceDelivery[] {
    return this.#sources.length === 1 ? this.#sources[0]!.list() : this.#sources.flatMap((s) => s.list());
  }

  get(id: string): SourceDelivery | undefined {
    for (const s of this.#sources) {
      const d = s.get(id);
      if (d) return d;
    }
    return undefined;
  }

  sourceFor(id: string): DeliverySource | undefined {
    return this.#sources.find((s) => s.get(id) !== undefined);
  }

  errors(): PartialError[] {
    return this.#sources.flatMap((s) => s.errors());
  }

  /** Called with each burst of changes. Returns an unsubscribe. */
  onChange(listener: (changes: readonly DeliveryChange[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(source: DeliverySource, ids: readonly string[]): void {
    const changes: DeliveryChange[] = [];
    for (const id of ids) {
      const after = source.get(id);
      const before = this.#last.get(id);
      if (before === after) continue;
      if (after) {
        this.#last.set(id, after);
        this.#owner.set(id, source);
      } else if (this.#owner.get(id) === source) {
        this.#last.delete(id);
        this.#owner.delete(id);
      }
      changes.push({ id, before, after });
    }
    if (changes.length === 0) return;
    this.#version++;
    for (const l of this.#listeners) l(changes);
  }
}
