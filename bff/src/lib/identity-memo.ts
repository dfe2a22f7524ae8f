interface Node<V> {
  next: WeakMap<object, Node<V>>;
  values?: Map<string, V>;
}

/**
 * Results of a pure function of immutable objects, remembered per the objects' identity for
 * as long as they live: nested WeakMaps, so an entry goes with the first of its key objects
 * that is collected. It has no TTL or size bound of its own and needs none: what it keeps
 * lives exactly as long as its inputs (an answer the response cache still holds, a person's
 * remembered access), and it can never give a stale result, since the same objects give the
 * same result. `extra` carries the few primitive arguments (a count, a direction); keep their
 * values few.
 *
 * The contract is the caller's: the key objects and the results are never mutated.
 */
export class IdentityMemo<V> {
  readonly #root = new WeakMap<object, Node<V>>();
  hits = 0;
  misses = 0;

  get(keys: readonly [object, ...object[]], extra: string, compute: () => V): V {
    let level = this.#root;
    let node: Node<V> | undefined;
    for (const key of keys) {
      node = level.get(key);
      if (!node) level.set(key, (node = { next: new WeakMap() }));
      level = node.next;
    }
    const values = (node!.values ??= new Map());
    if (values.has(extra)) {
      this.hits++;
      return values.get(extra) as V;
    }
    this.misses++;
    const value = compute();
    values.set(extra, value);
    return value;
  }
}

/** `fn` remembered per its one object argument (see IdentityMemo). */
export function memoByIdentity<K extends object, V>(fn: (key: K) => V): (key: K) => V {
  const memo = new IdentityMemo<V>();
  return (key) => memo.get([key], '', () => fn(key));
}
