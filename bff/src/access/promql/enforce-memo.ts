import { BoundedMemo } from '../../lib/bounded-memo.ts';
import type { PromAccess } from './access.ts';
import { enforcePromQL, type PromQLError } from './enforce.ts';

/**
 * The same access twice (one request's panels, or everyone with the same scope) yields the
 * same key; it is the access' exact matcher text, so two accesses share a key only when every
 * selector they would splice in is the same. Kept per object: a request builds its accesses once.
 */
const keys = new WeakMap<PromAccess, string>();
export function accessKey(access: PromAccess): string {
  let key = keys.get(access);
  if (key === undefined) {
    key = access.groups.map((g) => g.matchers.map((m) => m.text).join(',')).join(';');
    keys.set(access, key);
  }
  return key;
}

type Enforced = { query: string } | PromQLError;

/**
 * `enforcePromQL`, remembered. Enforcement is a pure function of (query, access) but not a
 * cheap one at fleet scale: a panel's band query under a 1,000-cluster access is ~110 KB to
 * parse, splice and parse again (about 6 ms), and a panel set runs 27 of them on every
 * request even when the response cache then answers. Entries are looked up by the query and
 * the access' full matcher text (never a hash: no collision can hand one scope another's
 * text), least recently used first out, bounded by the characters they hold.
 */
export class EnforcementMemo {
  readonly #memo: BoundedMemo<Enforced>;

  constructor(maxChars = 16 * 1024 * 1024) {
    this.#memo = new BoundedMemo(Infinity, {
      maxBytes: maxChars,
      maxEntryBytes: maxChars / 4,
      sizeOf: (result, key) => key.length + ('query' in result ? result.query.length : 0),
    });
  }

  enforce(query: string, access: PromAccess): Enforced {
    return this.#memo.getOrCompute(`${accessKey(access)}\u0000${query}`, () => enforcePromQL(query, access));
  }

  get hits(): number {
    return this.#memo.hits;
  }

  get misses(): number {
    return this.#memo.misses;
  }

  get size(): number {
    return this.#memo.size;
  }
}
