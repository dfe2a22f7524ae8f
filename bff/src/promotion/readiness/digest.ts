import { createHash } from 'node:crypto';

import type { ReadinessCheckResult, ReadinessVerdict } from '@fleetdeck/shared';

/**
 * What the approver saw, as a short stable digest: the verdict, the reasons and each
 * check's status (not the measured values, which move with every scrape). The same
 * picture always gives the same digest, whatever the order of fields in memory.
 */
export function readinessDigest(
  verdict: ReadinessVerdict,
  reasons: readonly string[],
  checks: readonly Pick<ReadinessCheckResult, 'id' | 'status'>[],
): string {
  const canonical = JSON.stringify([verdict, [...reasons], checks.map((c) => [c.id, c.status])]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}
