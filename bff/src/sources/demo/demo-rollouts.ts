import type { Cluster } from '@fleetdeck/shared';

import { DemoRolloutSource } from './rollouts/source.ts';
import { DEMO_SCENARIOS } from './rollouts/scenarios.ts';

export { DemoRolloutSource } from './rollouts/source.ts';

/**
 * The demo fleet's rollouts, advancing in time over all three tenants (the brief's
 * core-stack and cve-2024-critical, a run that fails and halts, runs waiting at approval
 * gates), with approve/pause/resume/abort/roll back kept in memory. Source kind `demo`.
 */
export function demoRolloutSource(options: { clusters: readonly Cluster[]; now?: () => number; tickMs?: number }): DemoRolloutSource {
  return new DemoRolloutSource({ ...options, scenarios: DEMO_SCENARIOS });
}
