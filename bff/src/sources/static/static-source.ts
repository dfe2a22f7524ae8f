import { readFileSync, watch, type FSWatcher } from 'node:fs';

import { parse } from 'yaml';
import { z } from 'zod';

import { groupsFromAnnotations, type Cluster, type PartialError } from '@fleetdeck/shared';

import type { Logger } from '../../lib/logger.ts';
import type { PlacementLabels } from '../kubefleet/member-cluster.ts';
import type { InventoryEvent, InventorySnapshot, InventorySource } from '../inventory.ts';

/** A static fleet file, for fleets without KubeFleet or Rancher Fleet. */
export const StaticFleetFile = z.strictObject({
  clusters: z.array(
    z.strictObject({
      name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/),
      tenant: z.string().min(1).optional(),
      labels: z.record(z.string(), z.string()).default({}),
      annotations: z.record(z.string(), z.string()).default({}),
      apiServer: z.url().optional(),
      kubeconfigContext: z.string().optional(),
    }),
  ),
});
export type StaticFleetFile = z.infer<typeof StaticFleetFile>;

export function fromStaticFile(file: StaticFleetFile, labels: PlacementLabels): Cluster[] {
  return file.clusters.map((c) => ({
    name: c.name,
    tenant: c.tenant ?? c.labels[labels.tenantLabel] ?? 'unassigned',
    environment: c.labels[labels.environmentLabel] ?? 'unknown',
    labels: c.labels,
    annotations: c.annotations,
    groups: groupsFromAnnotations(c.annotations),
    // A file says a cluster exists, not that it is healthy.
    state: 'Unknown',
    conditions: [
      {
        type: 'Declared',
        status: 'True',
        reason: 'StaticFleetFile',
        message: 'listed in the static fleet file; no agent reports its health',
      },
    ],
    sync: { state: 'Unknown', driftedResources: 0 },
    source: 'static',
  }));
}

function readFleetFile(path: string, labels: PlacementLabels): Cluster[] {
  const parsed = StaticFleetFile.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const names = new Set<string>();
  for (const c of parsed.data.clusters) {
    if (names.has(c.name)) throw new Error(`${path}: cluster ${c.name} is listed twice`);
    names.add(c.name);
  }
  return fromStaticFile(parsed.data, labels);
}

/**
 * The file is read at start, again whenever it changes, and on a fixed tick (file
 * watches miss the symlink swap of a mounted ConfigMap). A bad edit keeps the last good
 * fleet and says why — without naming any cluster, since everyone sees that message;
 * the details go to the log.
 */
export class StaticFleetSource implements InventorySource {
  readonly kind = 'static' as const;
  readonly #path: string;
  readonly #labels: PlacementLabels;
  readonly #listeners = new Set<(e: InventoryEvent) => void>();
  #clusters = new Map<string, Cluster>();
  #version = 0;
  #syncedAt = new Date(0);
  #error: string | undefined;
  #watcher: FSWatcher | undefined;
  #tick: NodeJS.Timeout | undefined;
  #ready = false;
  readonly #logger: Logger | undefined;
  readonly #rereadMs: number;

  constructor(path: string, labels: PlacementLabels, options: { logger?: Logger; rereadMs?: number } = {}) {
    this.#path = path;
    this.#labels = labels;
    this.#logger = options.logger;
    this.#rereadMs = options.rereadMs ?? 30_000;
  }

  start(): Promise<void> {
    this.#reload(true, true);
    this.#watcher = watch(this.#path, () => this.#reload(false, false));
    this.#watcher.unref();
    this.#tick = setInterval(() => this.#reload(false, true), this.#rereadMs);
    this.#tick.unref();
    this.#ready = true;
    return Promise.resolve();
  }

  /**
   * `tick`: a read on the clock, not caused by an edit. Only those move `syncedAt`, so
   * its value never tells anyone when (or that) someone else's clusters changed.
   */
  #reload(initial: boolean, tick: boolean): void {
    let next: Cluster[];
    try {
      next = readFleetFile(this.#path, this.#labels);
    } catch (err) {
      if (initial) throw err;
      this.#logger?.warn({ err, path: this.#path }, 'static fleet file not reloaded');
      const error = 'the static fleet file could not be reloaded (it is not valid; details in the BFF log); showing the last good fleet';
      if (this.#error !== error) this.#version++;
      this.#error = error;
      return;
    }
    if (this.#error !== undefined) this.#version++;
    this.#error = undefined;
    if (tick) {
      this.#syncedAt = new Date();
      this.#version++;
    }
    const events: InventoryEvent[] = [];
    const fresh = new Map(next.map((c) => [c.name, c]));
    for (const [name, old] of this.#clusters) if (!fresh.has(name)) events.push({ type: 'DELETED', cluster: old });
    for (const c of next) {
      const old = this.#clusters.get(c.name);
      if (!old) events.push({ type: 'ADDED', cluster: c });
      else if (JSON.stringify(old) !== JSON.stringify(c)) events.push({ type: 'MODIFIED', cluster: c, previous: old });
    }
    this.#clusters = fresh;
    if (events.length > 0) this.#version++;
    for (const e of events) for (const l of this.#listeners) l(e);
  }

  stop(): Promise<void> {
    this.#watcher?.close();
    clearInterval(this.#tick);
    this.#listeners.clear();
    return Promise.resolve();
  }

  isReady(): boolean {
    return this.#ready;
  }

  snapshot(): InventorySnapshot {
    const errors: PartialError[] = this.#error ? [{ source: 'static', reason: this.#error }] : [];
    return { version: this.#version, clusters: [...this.#clusters.values()], syncedAt: this.#syncedAt, errors };
  }

  subscribe(listener: (event: InventoryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
