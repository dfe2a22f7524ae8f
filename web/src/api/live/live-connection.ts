import { apiPaths, apiUrl, parseLiveEvent, type LiveEventData, type LiveTopic } from '@fleetdeck/shared';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'paused';

/** What the connection needs of the browser's EventSource (a fake one in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  onerror: ((event: Event) => unknown) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** What the connection needs of the document: is the tab hidden, and tell me when that changes. */
export interface VisibilityLike {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface TopicListener<T extends LiveTopic> {
  /** The events of one batch window, in the order they came. */
  onBatch(events: LiveEventData<T>[]): void;
  /** The stream lost history: what this listener shows must be fetched afresh. */
  onResync(): void;
}

export interface LiveConnectionOptions {
  createEventSource: (url: string) => EventSourceLike;
  visibility?: VisibilityLike;
  /** Events arriving within this window are delivered as one batch (one render). */
  batchMs?: number;
  /** Backoff after the stream closed for good: doubles from `initial` up to `max`. */
  backoff?: { initialMs: number; maxMs: number };
  now?: () => number;
}

const CLOSED = 2;

/**
 * One Server-Sent Events stream per tab, shared by every area: topics (`cluster`, and
 * later rollouts, violations, logs) are multiplexed on it and each subscriber gets its
 * topic's events parsed with the shared schemas and batched (the first after a quiet spell at
 * once, then at most one batch per 100 ms by default).
 * The stream opens with the first subscriber and closes with the last; a hidden tab
 * closes it and resumes from the last event id when shown again; a stream the browser
 * gave up on is reopened with exponential backoff, also resuming; `resync` (history
 * lost) tells every subscriber to refetch.
 */
export class LiveConnection {
  readonly #opts: Required<Omit<LiveConnectionOptions, 'visibility'>> & { visibility: VisibilityLike | undefined };
  readonly #listeners = new Map<LiveTopic, Set<TopicListener<LiveTopic>>>();
  readonly #stateListeners = new Set<() => void>();
  #source: EventSourceLike | undefined;
  #lastEventId: string | undefined;
  #pending = new Map<LiveTopic, LiveEventData<LiveTopic>[]>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Until then, events wait for the batch window; after it, the next one flushes at once. */
  #quietAfter = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #state: LiveState = 'connecting';
  #lastEventAt: number | undefined;
  #snapshot: { state: LiveState; lastEventAt: number | undefined } = { state: 'connecting', lastEventAt: undefined };

  constructor(options: LiveConnectionOptions) {
    this.#opts = {
      batchMs: 100,
      backoff: { initialMs: 1_000, maxMs: 30_000 },
      now: Date.now,
      ...options,
      visibility: options.visibility,
    };
  }

  /** Subscribes to one topic; the stream opens with the first subscriber. Returns the unsubscribe. */
  subscribe<T extends LiveTopic>(topic: T, listener: TopicListener<T>): () => void {
    const first = this.#subscriberCount() === 0;
    let set = this.#listeners.get(topic);
    if (!set) {
      this.#listeners.set(topic, (set = new Set()));
      // A topic new to an open stream: listen for it there too.
      if (this.#source) this.#listen(this.#source, topic);
    }
    const l = listener as unknown as TopicListener<LiveTopic>;
    set.add(l);
    if (first) this.#start();
    return () => {
      set.delete(l);
      if (this.#subscriberCount() === 0) this.#stop();
    };
  }

  /** For useSyncExternalStore: a stable snapshot of the connection state. */
  getSnapshot = (): { state: LiveState; lastEventAt: number | undefined } => this.#snapshot;

  onChange = (listener: () => void): (() => void) => {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  };

  /** The id the stream resumes from (for tests and diagnostics). */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  #subscriberCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  #start(): void {
    this.#opts.visibility?.addEventListener('visibilitychange', this.#onVisibility);
    if (this.#opts.visibility?.hidden) this.#setState('paused');
    else this.#open();
  }

  #stop(): void {
    this.#opts.visibility?.removeEventListener('visibilitychange', this.#onVisibility);
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#retryTimer);
    this.#flushTimer = this.#retryTimer = undefined;
    this.#pending.clear();
    this.#close();
    this.#setState('connecting');
  }

  #open(): void {
    this.#close();
    this.#setState(this.#failures > 0 ? 'reconnecting' : 'connecting');
    // The browser sends Last-Event-ID itself when it reconnects; a stream we open again
    // (tab shown, or after giving up) carries it in the query.
    const source = this.#opts.createEventSource(apiUrl(apiPaths.events, {}, { lastEventId: this.#lastEventId }));
    this.#source = source;
    source.addEventListener('ready', (e) => {
      this.#seen(e);
      this.#failures = 0;
      this.#setState('live');
    });
    source.addEventListener('resync', (e) => {
      this.#lastEventId = e.lastEventId || undefined;
      this.#pending.clear();
      for (const set of this.#listeners.values()) for (const l of set) l.onResync();
    });
    for (const topic of this.#listeners.keys()) this.#listen(source, topic);
    source.onerror = () => {
      if (this.#source !== source) return;
      this.#setState('reconnecting');
      // CONNECTING: the browser retries by itself. CLOSED: it gave up; we do not.
      if (source.readyState === CLOSED) this.#scheduleReopen();
    };
  }

  #listen(source: EventSourceLike, topic: LiveTopic): void {
    source.addEventListener(topic, (e) => {
      this.#seen(e);
      const data = parseLiveEvent(topic, String(e.data));
      if (data === undefined) return;
      let list = this.#pending.get(topic);
      if (!list) this.#pending.set(topic, (list = []));
      list.push(data);
      // Leading edge: after a quiet spell the first change shows at once (with anything in
      // the same tick); a burst that follows is held to one render per window.
      this.#flushTimer ??= setTimeout(this.#flush, Math.max(0, this.#quietAfter - this.#opts.now()));
    });
  }

  #seen(e: MessageEvent): void {
    this.#lastEventId = e.lastEventId || this.#lastEventId;
  }

  #flush = (): void => {
    this.#flushTimer = undefined;
    this.#quietAfter = this.#opts.now() + this.#opts.batchMs;
    const batches = this.#pending;
    this.#pending = new Map();
    for (const [topic, events] of batches) for (const l of this.#listeners.get(topic) ?? []) l.onBatch(events);
    this.#lastEventAt = this.#opts.now();
    this.#publish();
  };

  #scheduleReopen(): void {
    this.#close();
    const { initialMs, maxMs } = this.#opts.backoff;
    const delay = Math.min(maxMs, initialMs * 2 ** this.#failures);
    this.#failures++;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#opts.visibility?.hidden) this.#open();
    }, delay);
  }

  #close(): void {
    if (!this.#source) return;
    this.#source.onerror = null;
    this.#source.close();
    this.#source = undefined;
  }

  #onVisibility = (): void => {
    if (this.#opts.visibility?.hidden) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
      this.#close();
      this.#setState('paused');
    } else if (!this.#source) {
      this.#open();
    }
  };

  #setState(state: LiveState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#publish();
  }

  #publish(): void {
    this.#snapshot = { state: this.#state, lastEventAt: this.#lastEventAt };
    for (const l of this.#stateListeners) l();
  }
}
