import { createHash } from 'node:crypto';

import type { ViolationEngine, ViolationResource } from '@fleetdeck/shared';

/**
 * Stable over re-reads and restarts: the same finding on the same resource gets the same
 * id, so first-seen times and links survive a re-list. No upstream uid (it changes on
 * re-creation) and nothing secret goes in.
 */
export function violationId(
  engine: ViolationEngine,
  cluster: string,
  policy: string,
  rule: string | undefined,
  resource: ViolationResource,
): string {
  const key = JSON.stringify([engine, cluster, policy, rule ?? '', resource.kind, resource.namespace ?? '', resource.name]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
