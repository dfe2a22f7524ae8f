import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ClusterEvent } from '@fleetdeck/shared';
import { demoClusters } from '@fleetdeck/shared/brief-fleet';

import { LiveConnection, type EventSourceLike, type VisibilityLike } from '../../../src/api/live/live-connection.ts';

const cluster = demoClusters(new Date('2026-11-24T10:00:00Z'))[0]!;

/** A stand-in for the browser's EventSource: the test plays the server. */
class FakeEventSource implements EventSourceLike {
  static all: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  onerror: ((event: Event) => unknown) | null = null;
  readonly #listeners = new Map<string, ((e: MessageEvent) => void)[]>();

  readonly url: string;

  constructor(url: string) {
    this.url = url;
    FakeEventSource.all.push(this);
  }

  addEventListener(type: string, listener: (e: MessageEvent) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  emit(type: string, data: unknown, lastEventId = ''): void {
    this.readyState = 1;
    const event = new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId });
    for (const l of this.#listeners.get(type) ?? []) l(event);
  }

  fail(readyState: 0 | 2): void {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
}

class FakeDocument implements VisibilityLike {
  hidden = false;
  readonly #listeners = new Set<() => void>();
  addEventListener(_: 'visibilitychange', l: () => void) {
    this.#listeners.add(l);
  }
  removeEventListener(_: 'visibilitychange', l: () => void) {
    this.#listeners.delete(l);
  }
  set(hidden: boolean) {
    this.hidden = hidden;
    for (const l of this.#listeners) l();
  }
}

const latest = () => FakeEventSource.all.at(-1)!;
let doc: FakeDocument;
let conn: LiveConnection;

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.all = [];
  doc = new FakeDocument();
  conn = new LiveConnection({ createEventSource: (url) => new FakeEventSource(url), visibility: doc, now: () => 1234 });
});
afterEach(() => vi.useRealTimers());

function listen() {
  const batches: ClusterEvent[][] = [];
  const onResync = vi.fn();
  const off = conn.subscribe('cluster', { onBatch: (events) => batches.push(events), onResync });
  return { batches, onResync, off };
}

describe('LiveConnection', () => {
  it('opens one stream for every subscriber, with the first, and closes it with the last', () => {
    expect(FakeEventSource.all).toHaveLength(0);
    const a = listen();
    const b = listen();
    expect(FakeEventSource.all).toHaveLength(1);
    expect(latest().url).toBe('/api/events');
    expect(conn.getSnapshot().state).toBe('connecting');
    latest().emit('ready', {}, 'e-0');
    expect(conn.getSnapshot().state).toBe('live');
    a.off();
    expect(latest().closed).toBe(false);
    b.off();
    expect(latest().closed).toBe(true);
  });

  it('delivers the first change at once, then merges a burst into one batch per 100 ms, in order, parsed with the shared schema', () => {
    const { batches } = listen();
    const source = latest();
    source.emit('ready', {}, 'e-0');
    source.emit('cluster', { type: 'MODIFIED', cluster }, 'e-1');
    source.emit('cluster', 'not json', 'e-2');
    source.emit('cluster', { type: 'RENAMED', name: 'x' }, 'e-3');
    source.emit('cluster', { type: 'DELETED', name: 'prod-asia' }, 'e-4');
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(0);
    expect(batches).toEqual([
      [
        { type: 'MODIFIED', cluster },
        { type: 'DELETED', name: 'prod-asia' },
      ],
    ]);
    expect(conn.getSnapshot().lastEventAt).toBe(1234);
    // Within the window after a flush, changes wait for it to close.
    source.emit('cluster', { type: 'DELETED', name: 'b' }, 'e-5');
    source.emit('cluster', { type: 'DELETED', name: 'c' }, 'e-6');
    vi.advanceTimersByTime(99);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual([
      { type: 'DELETED', name: 'b' },
      { type: 'DELETED', name: 'c' },
    ]);
    expect(conn.lastEventId).toBe('e-6');
  });

  it('pauses in a hidden tab and resumes from the last event id when shown', () => {
    const { batches } = listen();
    const first = latest();
    first.emit('ready', {}, 'e-0');
    first.emit('cluster', { type: 'DELETED', name: 'a' }, 'e-7');
    doc.set(true);
    expect(first.closed).toBe(true);
    expect(conn.getSnapshot().state).toBe('paused');
    doc.set(false);
    expect(FakeEventSource.all).toHaveLength(2);
    expect(latest().url).toBe('/api/events?lastEventId=e-7');
    expect(conn.getSnapshot().state).toBe('connecting');
    latest().emit('ready', {}, 'e-7');
    expect(conn.getSnapshot().state).toBe('live');
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[{ type: 'DELETED', name: 'a' }]]);
  });

  it('does not open a stream while the tab is hidden', () => {
    doc.hidden = true;
    listen();
    expect(FakeEventSource.all).toHaveLength(0);
    expect(conn.getSnapshot().state).toBe('paused');
    doc.set(false);
    expect(FakeEventSource.all).toHaveLength(1);
  });

  it('on resync, tells every subscriber to refetch, drops what was pending and forgets the old id', () => {
    const a = listen();
    const b = listen();
    const source = latest();
    source.emit('cluster', { type: 'DELETED', name: 'a' }, 'old-1');
    source.emit('resync', {}, '');
    expect(a.onResync).toHaveBeenCalledOnce();
    expect(b.onResync).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(100);
    expect(a.batches).toEqual([]);
    expect(conn.lastEventId).toBeUndefined();
  });

  it('leaves reconnecting to the browser while it retries, and reopens with backoff once it gave up', () => {
    listen();
    const first = latest();
    first.emit('ready', {}, 'e-3');
    first.fail(0);
    expect(conn.getSnapshot().state).toBe('reconnecting');
    expect(FakeEventSource.all).toHaveLength(1);

    first.fail(2);
    expect(first.closed).toBe(true);
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.all).toHaveLength(2);
    expect(latest().url).toBe('/api/events?lastEventId=e-3');
    expect(conn.getSnapshot().state).toBe('reconnecting');

    latest().fail(2);
    vi.advanceTimersByTime(1999);
    expect(FakeEventSource.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.all).toHaveLength(3);

    // A stream that is live again starts the backoff afresh.
    latest().emit('ready', {}, 'e-3');
    expect(conn.getSnapshot().state).toBe('live');
    latest().fail(2);
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.all).toHaveLength(4);
  });

  it('caps the backoff', () => {
    conn = new LiveConnection({
      createEventSource: (url) => new FakeEventSource(url),
      backoff: { initialMs: 1000, maxMs: 3000 },
    });
    listen();
    for (const wait of [1000, 2000, 3000, 3000]) {
      const n = FakeEventSource.all.length;
      latest().fail(2);
      vi.advanceTimersByTime(wait - 1);
      expect(FakeEventSource.all).toHaveLength(n);
      vi.advanceTimersByTime(1);
      expect(FakeEventSource.all).toHaveLength(n + 1);
    }
  });

  it('tells state listeners, with a stable snapshot between changes', () => {
    const changed = vi.fn();
    conn.onChange(changed);
    listen();
    const before = conn.getSnapshot();
    expect(conn.getSnapshot()).toBe(before);
    latest().emit('ready', {}, 'e-0');
    expect(changed).toHaveBeenCalled();
    expect(conn.getSnapshot()).not.toBe(before);
  });

  it('listens for a topic subscribed after the stream opened', () => {
    const source = (() => {
      conn.subscribe('cluster', { onBatch: () => undefined, onResync: () => undefined });
      return latest();
    })();
    const { batches } = listen();
    source.emit('cluster', { type: 'DELETED', name: 'z' }, 'e-1');
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([[{ type: 'DELETED', name: 'z' }]]);
  });
});
