/**
 * Session ids signed out before their cookie expired. A sealed cookie stays valid
 * cryptographically until its lifetime ends, so sign-out alone cannot stop a copy of it;
 * this list can. Entries live exactly as long as the session they revoke could have.
 *
 * This class is held in this process's memory: it is the whole list in demo mode (one
 * process, no hub) and the fast path in real mode, where `HubRevocationList`
 * (hub-revocations.ts) extends it and shares every revocation with the other replicas
 * through a Secret on the hub, so a sign-out on one replica is refused by all of them.
 */
export class RevocationList {
  readonly #until = new Map<string, number>();
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.#capacity = options.capacity ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** Revokes `sid` until `untilMs` (when the cookie would have expired anyway). */
  revoke(sid: string, untilMs: number): void {
    this.#sweep();
    // Full: the oldest entry is the one nearest its natural expiry; it goes first.
    if (this.#until.size >= this.#capacity) {
      const oldest = this.#until.keys().next().value;
      if (oldest !== undefined) this.#until.delete(oldest);
    }
    this.#until.set(sid, untilMs);
  }

  isRevoked(sid: string): boolean {
    const until = this.#until.get(sid);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#until.delete(sid);
    return false;
  }

  get size(): number {
    return this.#until.size;
  }

  #sweep(): void {
    const now = this.#now();
    // Insertion order is roughly expiry order: stop at the first live entry.
    for (const [sid, until] of this.#until) {
      if (until > now) break;
      this.#until.delete(sid);
    }
  }
}
