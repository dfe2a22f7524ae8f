import type { DeliveryEvent, Scope } from '@fleetdeck/shared';

import { reachOf, type Reach } from '../access/deliveries/delivery-reach.ts';
import { detailOf, scopeDelivery } from '../access/deliveries/delivery-scope.ts';
import { scopeKey } from '../access/scope-checks.ts';
import type { DeliveryChange } from '../sources/gitops/delivery-service.ts';
import type { SourceDelivery } from '../sources/gitops/delivery-source.ts';
import type { InventorySource } from '../sources/inventory.ts';

/** The delivery change feed the hub fans out (the DeliveryService). */
export interface DeliveryFeed {
  onChange(listener: (changes: readonly DeliveryChange[]) => void): () => void;
}

/** What the person would read of it (detail and counts), or undefined when it is not theirs. */
function seen(d: SourceDelivery | undefined, reach: Reach): string | undefined {
  const s = d && scopeDelivery(d, reach);
  return s && JSON.stringify(detailOf(s, reach));
}

/**
 * One person's view of a burst of delivery changes: the ids of deliveries they saw before
 * or see after, and only where what they would read changed — a change on a cluster of
 * another tenant does not even tell them *when* it happened. Nothing when none is theirs.
 */
export function deliveryEventFor(reach: Reach, changes: readonly DeliveryChange[]): DeliveryEvent | undefined {
  const ids: string[] = [];
  for (const ch of changes) {
    const before = seen(ch.before, reach);
    const after = seen(ch.after, reach);
    if (before !== after) ids.push(ch.id);
  }
  return ids.length > 0 ? { ids: ids.sort() } : undefined;
}

/** People's reach over the inventory, kept per scope until the inventory changes. */
export class DeliveryReaches {
  readonly #inventory: InventorySource;
  readonly #byScope = new Map<string, Reach>();
  #version = -1;

  constructor(inventory: InventorySource) {
    this.#inventory = inventory;
  }

  of(scope: Scope): Reach {
    const snap = this.#inventory.snapshot();
    if (snap.version !== this.#version) {
      this.#byScope.clear();
      this.#version = snap.version;
    }
    const key = scopeKey(scope);
    let reach = this.#byScope.get(key);
    if (!reach) {
      reach = reachOf(scope, snap.clusters);
      this.#byScope.set(key, reach);
      // Bounded: scopes are few (roles × tenants), but never let them grow without end.
      if (this.#byScope.size > 256) this.#byScope.delete(this.#byScope.keys().next().value!);
    }
    return reach;
  }
}
