import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

import type { Cluster, Scope } from '@fleetdeck/shared';

import { allows } from '../access/scope-checks.ts';
import type { InventoryEvent, InventorySource } from '../sources/inventory.ts';

/** What one person is told about one inventory change, if anything. */
export type ClusterEventForUser = { type: 'ADDED' | 'MODIFIED'; cluster: Cluster } | { type: 'DELETED'; name: string };

/**
 * Per-person view of an inventory change: a cluster that moved out of someone's scope
 * is DELETED for them, one that moved in is ADDED, and a cluster they never could see
 * produces nothing at all — DELETED included, so deletions leak nothing.
 */
export function eventForScope(scope: Scope, event: InventoryEvent): ClusterEventForUser | undefined {
  const now = event.type !== 'DELETED' && allows(scope, 'view', event.cluster);
  const before =
    event.type === 'MODIFIED' ? allows(scope, 'view', event.previous) : event.type === 'DELETED' && allows(scope, 'view', event.cluster);
  if (event.type === 'DELETED') return before ? { type: 'DELETED', name: event.cluster.name } : undefined;
  if (now && (event.type === 'ADDED' || !before)) return { type: 'ADDED', cluster: event.cluster };
  if (now) return { type: 'MODIFIED', cluster: event.cluster };
  if (before) return { type: 'DELETED', name: event.cluster.name };
  return undefined;
}

interface Stored {
  seq: number;
  event: InventoryEvent;
}

interface Client {
  res: Response;
  scope: Scope;
}

export interface EventHubOptions {
  /** Events kept for Last-Event-ID resume. */
  history?: number;
  /** A client whose unsent bytes exceed this is dropped (it reconnects and resumes). */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  /** Streams end after this long, so access is re-checked on reconnect. */
  maxConnectionMs?: number;
}

/**
 * One Server-Sent Events stream per browser tab, fanned out from the inventory's
 * change feed and filtered per person. Ids are `<epoch>-<seq>`: a resume within the
 * kept history replays what was missed; anything else (older, or from another BFF
 * process) gets a `resync` event, and the client refetches.
 */
export class EventHub {
  readonly #epoch = randomBytes(4).toString('hex');
  readonly #history: Stored[] = [];
  readonly #clients = new Set<Client>();
  readonly #opts: Required<EventHubOptions>;
  #seq = 0;
  #unsubscribe: (() => void) | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: EventHubOptions = {}) {
    this.#opts = { history: 1000, maxBufferedBytes: 512 * 1024, heartbeatMs: 15_000, maxConnectionMs: 60_000, ...options };
  }

  start(inventory: InventorySource): void {
    this.#unsubscribe = inventory.subscribe((event) => this.#publish(event));
    this.#heartbeat = setInterval(() => {
      for (const c of this.#clients) this.#write(c, ': ping\n\n');
    }, this.#opts.heartbeatMs);
    this.#heartbeat.unref();
  }

  stop(): void {
    this.#unsubscribe?.();
    clearInterval(this.#heartbeat);
    for (const c of this.#clients) c.res.end();
    this.#clients.clear();
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  #publish(event: InventoryEvent): void {
    const stored = { seq: ++this.#seq, event };
    this.#history.push(stored);
    if (this.#history.length > this.#opts.history) this.#history.shift();
    for (const c of this.#clients) this.#send(c, stored);
  }

  #send(client: Client, stored: Stored): void {
    const view = eventForScope(client.scope, stored.event);
    if (!view) return;
    this.#write(client, `id: ${this.#epoch}-${stored.seq}\nevent: cluster\ndata: ${JSON.stringify(view)}\n\n`);
  }

  #write(client: Client, chunk: string): void {
    if (client.res.writableEnded) return;
    // A slow reader must not grow our memory: drop it; it will resume from its last id.
    if (client.res.writableLength > this.#opts.maxBufferedBytes) {
      this.#clients.delete(client);
      client.res.end();
      return;
    }
    client.res.write(chunk);
  }

  /** Takes over the response: headers, resume or resync, then live events until it ends. */
  connect(res: Response, scope: Scope, lastEventId: string | undefined): void {
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    const client: Client = { res, scope };
    res.write(`retry: 3000\n\n`);
    const resumeFrom = this.#resumePoint(lastEventId);
    if (lastEventId !== undefined && resumeFrom === undefined) {
      res.write(`id: ${this.#epoch}-${this.#seq}\nevent: resync\ndata: {}\n\n`);
    } else if (resumeFrom !== undefined) {
      for (const stored of this.#history) if (stored.seq > resumeFrom) this.#send(client, stored);
    }
    res.write(`id: ${this.#epoch}-${this.#seq}\nevent: ready\ndata: {}\n\n`);
    this.#clients.add(client);
    const maxAge = setTimeout(() => res.end(), this.#opts.maxConnectionMs);
    maxAge.unref();
    res.on('close', () => {
      clearTimeout(maxAge);
      this.#clients.delete(client);
    });
  }

  #resumePoint(lastEventId: string | undefined): number | undefined {
    if (!lastEventId) return undefined;
    const m = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId);
    if (!m || m[1] !== this.#epoch) return undefined;
    const seq = Number(m[2]);
    const oldest = this.#history[0]?.seq ?? this.#seq + 1;
    // Everything after `seq` must still be in the history, or we cannot replay it.
    if (seq > this.#seq || seq < oldest - 1) return undefined;
    return seq;
  }
}
