import {
  type KubeConfig,
  makeInformer,
  type Informer,
  type ObjectCache,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

import type { Cluster, PartialError } from '@fleetdeck/shared';

import type { Logger } from '../lib/logger.ts';
import type { InventoryEvent, InventorySnapshot, InventorySource } from './inventory.ts';

/** How one kind of hub object becomes clusters of the model. */
export interface InformerSpec<T extends KubernetesObject> {
  kind: Cluster['source'];
  /** The watch path, e.g. /apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  map: (obj: T, now: Date) => Cluster | undefined;
}

/**
 * Hub objects held in memory by an informer (list, then watch from the list's
 * resourceVersion; the informer re-lists on 410 Gone), mapped into clusters. Watch
 * errors restart it with exponential backoff; meanwhile the last known inventory is
 * served, with its age and the error, so the page can say the hub is unreachable.
 */
export class InformerInventory<T extends KubernetesObject> implements InventorySource {
  readonly kind: Cluster['source'];
  readonly #kc: KubeConfig;
  readonly #spec: InformerSpec<T>;
  readonly #logger: Logger;
  readonly #listeners = new Set<(e: InventoryEvent) => void>();
  readonly #clusters = new Map<string, Cluster>();
  #informer: (Informer<T> & ObjectCache<T>) | undefined;
  #version = 0;
  #syncedAt = new Date(0);
  #ready = false;
  #error: string | undefined;
  #retry: NodeJS.Timeout | undefined;
  #rejudge: NodeJS.Timeout | undefined;
  #backoffMs = 500;
  #stopped = false;

  constructor(kc: KubeConfig, spec: InformerSpec<T>, logger: Logger) {
    this.kind = spec.kind;
    this.#kc = kc;
    this.#spec = spec;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    const informer = makeInformer<T>(this.#kc, this.#spec.path, this.#spec.list);
    const upsert = (obj: T) => {
      const cluster = this.#spec.map(obj, new Date());
      if (!cluster) return;
      const previous = this.#clusters.get(cluster.name);
      this.#clusters.set(cluster.name, cluster);
      if (previous && JSON.stringify(previous) === JSON.stringify(cluster)) return;
      this.#changed(previous ? { type: 'MODIFIED', cluster, previous } : { type: 'ADDED', cluster });
    };
    informer.on('add', upsert);
    informer.on('update', upsert);
    informer.on('delete', (obj) => {
      const cluster = this.#clusters.get(obj.metadata?.name ?? '');
      if (!cluster) return;
      this.#clusters.delete(cluster.name);
      this.#changed({ type: 'DELETED', cluster });
    });
    informer.on('connect', () => {
      this.#error = undefined;
      this.#backoffMs = 500;
      this.#syncedAt = new Date();
    });
    informer.on('error', (err: unknown) => {
      this.#error = `hub watch failed: ${(err as Error)?.message ?? String(err)}`;
      this.#version++;
      this.#logger.warn({ err, retryInMs: this.#backoffMs, path: this.#spec.path }, 'hub watch failed; restarting');
      if (this.#stopped) return;
      this.#retry = setTimeout(() => void informer.start().catch(() => undefined), this.#backoffMs);
      this.#backoffMs = Math.min(this.#backoffMs * 2, 30_000);
    });
    this.#informer = informer;
    await informer.start();
    // The informer lists before it resolves: everything is in memory now.
    for (const obj of informer.list()) upsert(obj);
    this.#syncedAt = new Date();
    this.#ready = true;
    // A silent agent sends no update: re-judge heartbeats on a clock, so a cluster that
    // stopped reporting turns Unknown without waiting for an event that never comes.
    this.#rejudge = setInterval(() => this.rejudge(), 15_000);
    this.#rejudge.unref();
    this.#upsert = upsert;
  }

  #upsert: ((obj: T) => void) | undefined;

  /** Maps every object again (time passed, or something the mapping reads changed). */
  rejudge(): void {
    if (!this.#informer || !this.#upsert) return;
    for (const obj of this.#informer.list()) this.#upsert(obj);
  }

  #changed(event: InventoryEvent): void {
    this.#version++;
    this.#syncedAt = new Date();
    for (const l of this.#listeners) l(event);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    clearInterval(this.#rejudge);
    this.#listeners.clear();
    await this.#informer?.stop();
  }

  isReady(): boolean {
    return this.#ready;
  }

  snapshot(): InventorySnapshot {
    const errors: PartialError[] = this.#error ? [{ source: 'hub', reason: this.#error }] : [];
    return { version: this.#version, clusters: [...this.#clusters.values()], syncedAt: this.#syncedAt, errors };
  }

  subscribe(listener: (event: InventoryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
