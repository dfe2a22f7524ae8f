import type { KubeConfig } from '@kubernetes/client-node';

import type { Cluster } from '@fleetdeck/shared';

import type { Logger } from '../../../lib/logger.ts';
import type { ImpersonatingClient } from '../../kube/impersonating-client.ts';
import type { RolloutSource } from '../../rollouts/rollout-source.ts';

/** What this source lists and watches on the hub with the BFF's own identity. */
export const ARGOCD_ROLLOUT_WATCHES = ['applications', 'applicationsets'].map((resource) => ({ group: 'argoproj.io', resource }));

/** Argo CD ApplicationSets with `strategy.type: RollingSync` as rollouts. PLACEHOLDER: being built (issue 15). */
export function argoRollingSyncRolloutSource(
  _kc: KubeConfig,
  _writer: ImpersonatingClient,
  _options: { logger: Logger; clusters: () => readonly Cluster[]; now?: () => Date },
): RolloutSource {
  return {
    kinds: ['argocd'],
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    list: () => [],
    get: () => undefined,
    errors: () => [],
    onChange: () => () => undefined,
    actions: {} as RolloutSource['actions'],
  };
}
