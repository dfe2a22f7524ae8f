import type { Cluster, FleetRollouts } from '@fleetdeck/shared';

import type { RolloutIndex, RunsByCluster } from '../rollouts/rollout-index.ts';
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

type RunState = FleetRollouts['clusters'][string][number]['state'];

/**
 * The still index GET /api/fleet/rollouts reads until it is fed from the source above:
 * one unfinished run per tenant plus the brief's fleet-wide CVE patch, so every tenant's
 * view has something in it (and something it must not see).
 */
const RUNS: { run: string; namespace?: string; state: RunState; touches: string[] }[] = [
  // The brief's critical patch: edge canary first, then production in every region.
  { run: 'cve-2024-critical', state: 'Waiting', touches: ['edge-retail-001', 'prod-us-east', 'prod-eu-west', 'prod-asia'] },
  { run: 'client-a-web-v3', namespace: 'client-a', state: 'Progressing', touches: ['client-a-staging', 'prod-us-east', 'prod-us-west'] },
  { run: 'client-b-apps-v42', namespace: 'client-b', state: 'Progressing', touches: ['client-b-dev', 'client-b-staging'] },
  { run: 'client-c-api-v7', namespace: 'client-c', state: 'Stopped', touches: ['client-c-staging', 'prod-asia'] },
];

export const DEMO_ROLLOUT_INDEX: RolloutIndex = {
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
  byCluster: () => {
    const clusters: RunsByCluster = new Map();
    for (const r of RUNS) {
      for (const name of r.touches) {
        const list = clusters.get(name) ?? [];
        list.push({ run: r.run, ...(r.namespace && { namespace: r.namespace }), state: r.state, touches: r.touches });
        clusters.set(name, list);
      }
    }
    return { clusters, errors: [] };
  },
};
