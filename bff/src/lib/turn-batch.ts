/** What a batch settles: each ask carries its own promise's ends. */
export interface Settles<T> {
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers what is asked under one key in the same turn of the event loop and hands it to
 * `flush` at once. The turn ends at `setImmediate`, after the promise jobs it started, so
 * callers started together (one request's panels, `Promise.all`) land in one batch; a later
 * ask starts a new one. A flush that fails fails every ask it held, rather than leaving them
 * waiting. Used where several panels' queries become one upstream query (table-batch.ts,
 * recorded-fleet-band.ts).
 */
export class TurnBatch<K, A extends Settles<never>> {
  readonly #pending = new Map<K, A[]>();
  readonly #flush: (key: K, asks: readonly A[]) => Promise<void>;

  constructor(flush: (key: K, asks: readonly A[]) => Promise<void>) {
    this.#flush = flush;
  }

  add(key: K, ask: A): void {
    let asks = this.#pending.get(key);
    if (!asks) {
      const held: A[] = [];
      this.#pending.set(key, (asks = held));
      setImmediate(() => {
        this.#pending.delete(key);
        // A flush that throws before its first await fails the asks the same way.
        Promise.resolve()
          .then(() => this.#flush(key, held))
          .catch((err: unknown) => held.forEach((a) => a.reject(err)));
      });
    }
    asks.push(ask);
  }
}
