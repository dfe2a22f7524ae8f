/**
 * The caps on live tails (issue 13): how many may run at once, for how long, and how
 * fast lines may flow to one browser. Pure, with an injectable clock, so they are tested
 * without sockets.
 */

export interface LogsTailLimits {
  /** Live tails one session may hold open at once (tabs, panes); the next is a 429. */
  maxPerSession: number;
  /** Upstream tail sockets (one per access group of each tail) this BFF process holds at once; beyond it, a 429. */
  maxUpstreamPerProcess: number;
  /** A tail ends after this long (an `error` event): access is judged again when it is started anew. */
  maxDurationMs: number;
  /** Sustained lines per second one tail sends, and the burst it may send at once (the initial backfill). */
  linesPerSecond: number;
  burstLines: number;
  /** The same for bytes of line text. */
  bytesPerSecond: number;
  burstBytes: number;
  /** Unsent bytes beyond which lines are counted as dropped instead of written (a reader that cannot keep up). */
  maxBufferedBytes: number;
  heartbeatMs: number;
}

export const LOGS_TAIL_LIMITS: LogsTailLimits = {
  maxPerSession: 3,
  maxUpstreamPerProcess: 200,
  maxDurationMs: 60 * 60_000,
  linesPerSecond: 500,
  burstLines: 2000,
  bytesPerSecond: 512 * 1024,
  burstBytes: 2 * 1024 * 1024,
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 15_000,
};

/** A tail beyond the per-session or per-process limit; the route answers 429 with the message. */
export class TooManyTails extends Error {
  override name = 'TooManyTails';
}

/** Counts open tails per session and upstream sockets in the process. */
export class TailSlots {
  readonly #perSession = new Map<string, number>();
  #upstream = 0;
  readonly #limits: Pick<LogsTailLimits, 'maxPerSession' | 'maxUpstreamPerProcess'>;

  constructor(limits: Pick<LogsTailLimits, 'maxPerSession' | 'maxUpstreamPerProcess'>) {
    this.#limits = limits;
  }

  get upstreamOpen(): number {
    return this.#upstream;
  }

  /** Takes one tail of `session` with `upstream` sockets; the returned function gives them back (once). */
  acquire(session: string, upstream: number): () => void {
    const mine = this.#perSession.get(session) ?? 0;
    if (mine >= this.#limits.maxPerSession)
      throw new TooManyTails(`this session already has ${mine} live tails open (the limit); stop one first`);
    if (this.#upstream + upstream > this.#limits.maxUpstreamPerProcess)
      throw new TooManyTails('this server runs as many live tails as it may; try again in a minute');
    this.#perSession.set(session, mine + 1);
    this.#upstream += upstream;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#upstream -= upstream;
      const left = (this.#perSession.get(session) ?? 1) - 1;
      if (left > 0) this.#perSession.set(session, left);
      else this.#perSession.delete(session);
    };
  }
}

/**
 * A token bucket on lines and bytes: `take` says whether one more line of `bytes` may be
 * sent now. Refused lines are not queued (a live tail that falls behind is worth less
 * than one that says how much it skipped).
 */
export class TailBudget {
  readonly #limits: Pick<LogsTailLimits, 'linesPerSecond' | 'burstLines' | 'bytesPerSecond' | 'burstBytes'>;
  readonly #now: () => number;
  #lines: number;
  #bytes: number;
  #at: number;

  constructor(
    limits: Pick<LogsTailLimits, 'linesPerSecond' | 'burstLines' | 'bytesPerSecond' | 'burstBytes'>,
    now: () => number = Date.now,
  ) {
    this.#limits = limits;
    this.#now = now;
    this.#lines = limits.burstLines;
    this.#bytes = limits.burstBytes;
    this.#at = now();
  }

  take(bytes: number): boolean {
    const now = this.#now();
    const seconds = Math.max(0, now - this.#at) / 1000;
    this.#at = now;
    this.#lines = Math.min(this.#limits.burstLines, this.#lines + seconds * this.#limits.linesPerSecond);
    this.#bytes = Math.min(this.#limits.burstBytes, this.#bytes + seconds * this.#limits.bytesPerSecond);
    if (this.#lines < 1 || this.#bytes < bytes) return false;
    this.#lines -= 1;
    this.#bytes -= bytes;
    return true;
  }
}
