import {
  ListWatch,
  Watch,
  type KubeConfig,
  type Informer,
  type ObjectCache,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

import type { Cluster, PartialError } from '@fleetdeck/shared';

import type { Logger } from '../lib/logger.ts';
import type { InventoryEvent, InventorySnapshot, InventorySource } from './inventory.ts';
import { rejudgeLiveness, type Kept } from './kubefleet/liveness.ts';

/** What a slim informer holds of one hub object: its identity and what `reduce` made of it. */
export interface Slim<S> extends KubernetesObject {
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
  kept: S | undefined;
}

/** One page of a list: `limit` objects at most, from `cont` (the previous page's continue token). */
export type ListPage<T extends KubernetesObject> = (cont: string | undefined, limit: number) => Promise<KubernetesListObject<T>>;

/** Objects per list page (client-go's reflector uses the same). */
export const LIST_PAGE_SIZE = 500;

/** The object as the cache holds it; `reduce` is skipped where only its identity matters (a deletion). */
export function slimObject<T extends KubernetesObject, S>(obj: T, reduce: ((obj: T) => S | undefined) | undefined): Slim<S> {
  const { name, namespace, resourceVersion } = obj.metadata ?? {};
  return {
    metadata: {
      ...(name !== undefined && { name }),
      ...(namespace !== undefined && { namespace }),
      ...(resourceVersion !== undefined && { resourceVersion }),
    },
    kept: reduce?.(obj),
  };
}

/** The continue token of a list page (custom object lists are plain JSON: `continue`; typed ones say `_continue`). */
export function continueToken(list: KubernetesListObject<KubernetesObject>): string | undefined {
  const meta: { continue?: string; _continue?: string } | undefined = list.metadata;
  return meta?.continue || meta?._continue || undefined;
}

/** A Watch whose events carry slim objects: the raw object is reduced as soon as its line is parsed. */
class SlimWatch<T extends KubernetesObject, S> extends Watch {
  readonly #reduce: (obj: T) => S | undefined;

  constructor(kc: KubeConfig, reduce: (obj: T) => S | undefined) {
    super(kc);
    this.#reduce = reduce;
  }

  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    return super.watch(
      path,
      queryParams,
      (phase, obj: T) => {
        // ERROR (a Status, e.g. 410 Gone) and BOOKMARK pass unchanged: the ListWatch reads their codes and versions.
        if (phase === 'ADDED' || phase === 'MODIFIED') callback(phase, slimObject(obj, this.#reduce));
        else if (phase === 'DELETED') callback(phase, slimObject(obj, undefined));
        else callback(phase, obj);
      },
      done,
    );
  }
}

/**
 * An informer of client-node (list, then watch from the list's resourceVersion; it
 * re-lists on 410 Gone) that keeps only what `reduce` returns for each object, never the
 * raw object (managedFields, status nobody reads). The list is read in pages and each
 * page reduced before the next is asked for, so a large fleet is never in memory raw.
 * Events carry slim objects too; a deletion's `kept` is undefined (look the object up by name).
 */
export function slimInformer<T extends KubernetesObject, S>(
  kc: KubeConfig,
  path: string,
  listPage: ListPage<T>,
  reduce: (obj: T) => S | undefined,
): Informer<Slim<S>> & ObjectCache<Slim<S>> {
  const list = async (): Promise<KubernetesListObject<Slim<S>>> => {
    const items: Slim<S>[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await listPage(cont, LIST_PAGE_SIZE);
      for (const obj of page.items ?? []) items.push(slimObject(obj, reduce));
      // Every page of a consistent list carries the resourceVersion the list was served at.
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      cont = continueToken(page);
    } while (cont);
    return { apiVersion: 'v1', kind: 'List', metadata: { ...(resourceVersion !== undefined && { resourceVersion }) }, items };
  };
  return new ListWatch<Slim<S>>(path, new SlimWatch<T, S>(kc, reduce), list, false);
}

/** How one kind of hub object becomes clusters of the model. */
export interface InformerSpec<T extends KubernetesObject> {
  kind: Cluster['source'];
  /** The watch path, e.g. /apis/cluster.kubernetes-fleet.io/v1beta1/memberclusters. */
  path: string;
  list: ListPage<T>;
  /** The cluster an object maps to now, and what re-judging it later needs; the object itself is then dropped. */
  keep: (obj: T, now: Date) => Kept | undefined;
  /**
   * The cluster as of `now` from what was kept (time passed, or something else the
   * mapping reads changed); `kept.cluster` itself when nothing changed. Default: its
   * liveness re-judged.
   */
  rejudge?: (kept: Kept, now: Date) => Cluster;
}

/**
 * Hub objects mapped into clusters and followed by a slim informer (list, then watch
 * from the list's resourceVersion; it re-lists on 410 Gone): per object only the mapped
 * cluster and its liveness stay in memory. Watch errors restart it with exponential
 * backoff; meanwhile the last known inventory is served, with its age and the error, so
 * the page can say the hub is unreachable.
 */
export class InformerInventory<T extends KubernetesObject> implements InventorySource {
  readonly kind: Cluster['source'];
  readonly #kc: KubeConfig;
  readonly #spec: InformerSpec<T>;
  readonly #logger: Logger;
  readonly #listeners = new Set<(e: InventoryEvent) => void>();
  readonly #clusters = new Map<string, Cluster>();
  #informer: (Informer<Slim<Kept>> & ObjectCache<Slim<Kept>>) | undefined;
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
    const informer = slimInformer<T, Kept>(this.#kc, this.#spec.path, this.#spec.list, (obj) => this.#spec.keep(obj, new Date()));
    const upsert = (obj: Slim<Kept>) => {
      const cluster = obj.kept?.cluster;
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
      // The answer changed (no error any more, a new syncedAt): cached answers must go.
      this.#version++;
    });
    informer.on('error', (err: unknown) => {
      // The hub's own words (addresses, TLS details) go to the log below; everyone sees this.
      this.#error = 'the hub is not answering; showing the last known inventory';
      this.#version++;
      this.#logger.warn({ err, retryInMs: this.#backoffMs, path: this.#spec.path }, 'hub watch failed; restarting');
      if (this.#stopped) return;
      this.#retry = setTimeout(() => void informer.start().catch(() => undefined), this.#backoffMs);
      this.#backoffMs = Math.min(this.#backoffMs * 2, 30_000);
    });
    this.#informer = informer;
    await informer.start();
    // The informer lists before it resolves: everything is in memory now.
    this.rejudge();
    this.#syncedAt = new Date();
    this.#ready = true;
    // A silent agent sends no update: re-judge heartbeats on a clock, so a cluster that
    // stopped reporting turns Unknown without waiting for an event that never comes.
    this.#rejudge = setInterval(() => this.rejudge(), 15_000);
    this.#rejudge.unref();
  }

  /** Judges every kept cluster again (time passed, or something the mapping reads changed). */
  rejudge(): void {
    if (!this.#informer) return;
    const now = new Date();
    const rejudge = this.#spec.rejudge ?? rejudgeLiveness;
    for (const obj of this.#informer.list()) {
      const kept = obj.kept;
      if (!kept) continue;
      const cluster = rejudge(kept, now);
      const previous = this.#clusters.get(cluster.name);
      if (cluster === kept.cluster && previous === cluster) continue;
      kept.cluster = cluster;
      this.#clusters.set(cluster.name, cluster);
      if (previous && JSON.stringify(previous) === JSON.stringify(cluster)) continue;
      this.#changed(previous ? { type: 'MODIFIED', cluster, previous } : { type: 'ADDED', cluster });
    }
  }

  #changed(event: InventoryEvent): void {
    this.#version++;
    // syncedAt moves on (re)connect and re-list only: a change to one tenant's cluster
    // must not change what another tenant receives (their fleet answer and its ETag).
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
