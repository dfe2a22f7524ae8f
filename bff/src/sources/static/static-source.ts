import { readFileSync, watch, type FSWatcher } from 'node:fs';

import { parse } from 'yaml';
import { z } from 'zod';

import { groupsFromAnnotations, type Cluster, type PartialError } from '@fleetdeck/shared';

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

/** The file is read at start and again whenever it changes; a bad edit keeps the last good fleet and says why. */
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
  #ready = false;

  constructor(path: string, labels: PlacementLabels) {
    this.#path = path;
    this.#labels = labels;
  }

  start(): Promise<void> {
    this.#reload(true);
    this.#watcher = watch(this.#path, () => this.#reload(false));
    this.#watcher.unref();
    this.#ready = true;
    return Promise.resolve();
  }

  #reload(initial: boolean): void {
    let next: Cluster[];
    try {
      next = readFleetFile(this.#path, this.#labels);
    } catch (err) {
      if (initial) throw err;
      this.#error = `static fleet file not reloaded: ${(err as Error).message}`;
      this.#version++;
      return;
    }
    this.#error = undefined;
    const events: InventoryEvent[] = [];
    const fresh = new Map(next.map((c) => [c.name, c]));
    for (const [name, old] of this.#clusters) if (!fresh.has(name)) events.push({ type: 'DELETED', cluster: old });
    for (const c of next) {
      const old = this.#clusters.get(c.name);
      if (!old) events.push({ type: 'ADDED', cluster: c });
      else if (JSON.stringify(old) !== JSON.stringify(c)) events.push({ type: 'MODIFIED', cluster: c, previous: old });
    }
    this.#clusters = fresh;
    this.#version++;
    this.#syncedAt = new Date();
    for (const e of events) for (const l of this.#listeners) l(e);
  }

  stop(): Promise<void> {
    this.#watcher?.close();
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
