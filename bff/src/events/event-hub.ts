import type { Response } from 'express';

import type { ClusterEvent, Scope } from '@fleetdeck/shared';

import { rolloutEventFor, type RolloutAccessContext } from '../access/rollout-access.ts';
import { allows, scopeKey } from '../access/scope-checks.ts';
import { SSE_HEARTBEAT, openEventStream } from '../lib/sse.ts';
import type { InventoryEvent, InventorySource } from '../sources/inventory.ts';
import type { RolloutChange } from '../sources/rollouts/rollout-service.ts';
export { OpaqueIds } from './opaque-ids.ts';
import { OpaqueIds } from './opaque-ids.ts';
import { ClusterIndex, violationEventFor, type ClusterViolationChange, type ViolationFeed } from './violation-events.ts';
import { DeliveryReaches, deliveryEventFor, type DeliveryFeed } from './delivery-events.ts';
import type { DeliveryChange } from '../sources/gitops/delivery-service.ts';

/**
 * Per-person view of an inventory change: a cluster that moved out of someone's scope
 * is DELETED for them, one that moved in is ADDED, and a cluster they never could see
 * produces nothing at all — DELETED included, so deletions leak nothing.
 */
export function eventForScope(scope: Scope, event: InventoryEvent): ClusterEvent | undefined {
  const now = event.type !== 'DELETED' && allows(scope, 'view', event.cluster);
  const before =
    event.type === 'MODIFIED' ? allows(scope, 'view', event.previous) : event.type === 'DELETED' && allows(scope, 'view', event.cluster);
  if (event.type === 'DELETED') return before ? { type: 'DELETED', name: event.cluster.name } : undefined;
  if (now && (event.type === 'ADDED' || !before)) return { type: 'ADDED', cluster: event.cluster };
  if (now) return { type: 'MODIFIED', cluster: event.cluster };
  if (before) return { type: 'DELETED', name: event.cluster.name };
  return undefined;
}

type Item =
  | { topic: 'cluster'; event: InventoryEvent }
  | { topic: 'rollout'; change: RolloutChange }
  | { topic: 'violation'; changes: readonly ClusterViolationChange[] }
  | { topic: 'delivery'; deliveries: readonly DeliveryChange[] };
type Stored = { seq: number; at: number } & Item;

interface Client {
  res: Response;
  scope: Scope;
  user: string;
  /** The person's groups: the approver policy's group rules decide their `canApprove`. */
  groups: readonly string[];
  session: string;
}

/** The rollout change feed and the access context its events are judged in. */
export interface RolloutFeed {
  onChange(listener: (change: RolloutChange) => void): () => void;
  context(): RolloutAccessContext;
}

/** A second stream beyond the per-session limit; the route answers 429. */
export class TooManyStreams extends Error {
  override name = 'TooManyStreams';
}

export interface EventHubOptions {
  /** How long events are kept for Last-Event-ID resume. Time, not a count: whether a resume works must not depend on how busy other tenants are. */
  historyMs?: number;
  /** Memory bound on the kept history; reached only under an extreme burst. */
  maxHistory?: number;
  /** Streams one session may hold open at once (tabs); the next is refused with 429. */
  maxStreamsPerSession?: number;
  /** A client whose unsent bytes exceed this is dropped (it reconnects and resumes). */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  /** Streams end after this long, so access is re-checked on reconnect. */
  maxConnectionMs?: number;
  now?: () => number;
}

/**
 * One Server-Sent Events stream per browser tab, fanned out from the inventory's, the rollouts', the violations' and the deliveries'
 * change feeds (topics `cluster`, `rollout`, `violation`, `delivery`; one id sequence), filtered per person. Ids are opaque (see `OpaqueIds`): a resume
 * within the kept history replays what was missed; anything else (older, or from
 * another BFF process) gets a `resync` event, and the client refetches.
 */
export class EventHub {
  readonly #ids = new OpaqueIds();
  readonly #history: Stored[] = [];
  readonly #streams = new Map<string, number>();
  readonly #clients = new Set<Client>();
  readonly #opts: Required<EventHubOptions>;
  #seq = 0;
  #unsubscribe: (() => void)[] = [];
  #rollouts: RolloutFeed | undefined;
  #clusters: ClusterIndex | undefined;
  #reaches: DeliveryReaches | undefined;
  /** Per publish, each distinct scope's rendering of the event (people of one role share it). */
  #rendered = new Map<string, string | undefined>();
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: EventHubOptions = {}) {
    this.#opts = {
      historyMs: 5 * 60_000,
      maxHistory: 20_000,
      maxStreamsPerSession: 4,
      maxBufferedBytes: 512 * 1024,
      heartbeatMs: 15_000,
      maxConnectionMs: 60_000,
      now: Date.now,
      ...options,
    };
  }

  start(inventory: InventorySource, rollouts?: RolloutFeed, violations?: ViolationFeed, deliveries?: DeliveryFeed): void {
    this.#rollouts = rollouts;
    this.#clusters = new ClusterIndex(inventory);
    this.#reaches = new DeliveryReaches(inventory);
    this.#unsubscribe = [
      inventory.subscribe((event) => this.#publish({ topic: 'cluster', event })),
      ...(rollouts ? [rollouts.onChange((change) => this.#publish({ topic: 'rollout', change }))] : []),
      ...(violations ? [violations.onChange((changes) => this.#publish({ topic: 'violation', changes }))] : []),
      ...(deliveries ? [deliveries.onChange((changes) => this.#publish({ topic: 'delivery', deliveries: changes }))] : []),
    ];
    this.#heartbeat = setInterval(() => {
      for (const c of this.#clients) this.#write(c, SSE_HEARTBEAT);
    }, this.#opts.heartbeatMs);
    this.#heartbeat.unref();
  }

  stop(): void {
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
    clearInterval(this.#heartbeat);
    for (const c of this.#clients) c.res.end();
    this.#clients.clear();
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  #publish(item: Item): void {
    const stored: Stored = { seq: ++this.#seq, at: this.#opts.now(), ...item };
    this.#history.push(stored);
    this.#trim();
    this.#rendered.clear();
    for (const c of this.#clients) this.#send(c, stored, this.#rendered);
    this.#rendered.clear();
  }

  /** Drops events past the kept time (or the memory bound). */
  #trim(): void {
    const oldestKept = this.#opts.now() - this.#opts.historyMs;
    let drop = 0;
    while (drop < this.#history.length && (this.#history.length - drop > this.#opts.maxHistory || this.#history[drop]!.at < oldestKept))
      drop++;
    if (drop > 0) this.#history.splice(0, drop);
  }

  /** `rendered`: a cache of this event's data per scope, when several clients get the same event. */
  #send(client: Client, stored: Stored, rendered?: Map<string, string | undefined>): void {
    const key = rendered && scopeKey(client.scope);
    let data = key === undefined ? undefined : rendered!.get(key);
    if (key === undefined || !rendered!.has(key)) {
      data = this.#render(client, stored);
      if (key !== undefined) rendered!.set(key, data);
    }
    if (data === undefined) return;
    this.#write(client, `id: ${this.#ids.seal(stored.seq)}\nevent: ${stored.topic}\ndata: ${data}\n\n`);
  }

  #render(client: Client, stored: Stored): string | undefined {
    if (stored.topic === 'cluster') {
      const view = eventForScope(client.scope, stored.event);
      return view && JSON.stringify(view);
    }
    if (stored.topic === 'violation') {
      const index = this.#clusters;
      const view = index && violationEventFor(client.scope, stored.changes, (name) => index.get(name));
      return view && JSON.stringify(view);
    }
    if (stored.topic === 'delivery') {
      const view = this.#reaches && deliveryEventFor(this.#reaches.of(client.scope), stored.deliveries);
      return view && JSON.stringify(view);
    }
    if (!this.#rollouts) return undefined;
    const { before, after } = stored.change;
    // A summary does not depend on who the person is beyond their scope, so scopes share it.
    const view = rolloutEventFor(
      { scope: client.scope, user: client.user, groups: client.groups },
      before,
      after,
      this.#rollouts.context(),
    );
    return view && JSON.stringify(view);
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

  /**
   * Takes over the response: headers, resume or resync, then live events until it ends.
   * Throws `TooManyStreams` (before writing anything) when the session has its limit open.
   */
  connect(res: Response, scope: Scope, lastEventId: string | undefined, session: string, user = '', groups: readonly string[] = []): void {
    const open = this.#streams.get(session) ?? 0;
    if (open >= this.#opts.maxStreamsPerSession) {
      throw new TooManyStreams(`this session already has ${open} live-update streams open (the limit); close a tab or wait a minute`);
    }
    this.#streams.set(session, open + 1);
    openEventStream(res, 3000);
    const client: Client = { res, scope, user, groups, session };
    const resumeFrom = this.#resumePoint(lastEventId);
    if (lastEventId !== undefined && resumeFrom === undefined) {
      res.write(`id: ${this.#ids.seal(this.#seq)}\nevent: resync\ndata: {}\n\n`);
    } else if (resumeFrom !== undefined) {
      for (const stored of this.#history) if (stored.seq > resumeFrom) this.#send(client, stored);
    }
    res.write(`id: ${this.#ids.seal(this.#seq)}\nevent: ready\ndata: {}\n\n`);
    this.#clients.add(client);
    const maxAge = setTimeout(() => res.end(), this.#opts.maxConnectionMs);
    maxAge.unref();
    res.on('close', () => {
      clearTimeout(maxAge);
      this.#clients.delete(client);
      const left = (this.#streams.get(session) ?? 1) - 1;
      if (left > 0) this.#streams.set(session, left);
      else this.#streams.delete(session);
    });
  }

  #resumePoint(lastEventId: string | undefined): number | undefined {
    if (!lastEventId) return undefined;
    const seq = this.#ids.open(lastEventId);
    if (seq === undefined) return undefined;
    this.#trim();
    const oldest = this.#history[0]?.seq ?? this.#seq + 1;
    // Everything after `seq` must still be in the history, or we cannot replay it.
    if (seq > this.#seq || seq < oldest - 1) return undefined;
    return seq;
  }
}
