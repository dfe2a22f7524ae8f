/** Distinct keys (scopes) remembered per rollout version; people of one role share one. */
const MAX_KEYS_PER_ROLLOUT = 64;

/**
 * One person-independent view of a rollout (a list row, judged by scope), computed once
 * per rollout version, access context and key, instead of on every request. Sound because
 * a source never changes a rollout it handed out (a change is a new object) and the access
 * context is rebuilt whenever the inventory changes: both are identity keys here, so a
 * change of either is a miss. Held weakly: a replaced rollout's views go with it.
 */
export class RolloutViewCache<V> {
  readonly #byRollout = new WeakMap<object, { ctx: object; views: Map<string, V | undefined> }>();

  get(rollout: object, ctx: object, key: string, compute: () => V | undefined): V | undefined {
    let entry = this.#byRollout.get(rollout);
    if (!entry || entry.ctx !== ctx) this.#byRollout.set(rollout, (entry = { ctx, views: new Map() }));
    if (entry.views.has(key)) return entry.views.get(key);
    const view = compute();
    // Many distinct scopes (one per person, at worst) must not grow without bound: oldest goes first.
    if (entry.views.size >= MAX_KEYS_PER_ROLLOUT) entry.views.delete(entry.views.keys().next().value!);
    entry.views.set(key, view);
    return view;
  }
}
