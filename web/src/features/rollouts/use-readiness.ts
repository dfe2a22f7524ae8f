import { queryOptions, useQuery } from '@tanstack/react-query';

import { WaveReadiness, apiPaths, apiUrl } from '@fleetdeck/shared';

import { getJson } from '../../api/client.ts';
import { retryUnlessClientError } from '../../api/query-client.ts';
import { queryKeys } from '../../api/query-keys.ts';

/** How often a shown readiness is re-evaluated: its health figures come from Prometheus, which has no watch. */
export const READINESS_REFRESH_MS = 30_000;

/**
 * One wave's promotion readiness. Live events on the rollout mark it stale too
 * (rollouts-patcher.ts), so a wave that finishes or fails is re-judged at once.
 */
export const readinessQuery = (id: string, wave: string) =>
  queryOptions({
    queryKey: queryKeys.rollouts.readiness(id, wave),
    queryFn: ({ signal }) => getJson(apiUrl(apiPaths.rolloutReadiness, { id, wave }), WaveReadiness, signal),
    staleTime: 10_000,
    refetchInterval: READINESS_REFRESH_MS,
    // It is polled anyway: one retry, then say so (an approver should not wait 7 s of backoff to learn it failed).
    retry: (failures, error) => failures < 1 && retryUnlessClientError(failures, error),
  });

/** The readiness of `wave`, or nothing asked when there is no wave to judge. */
export function useReadiness(id: string, wave: string | undefined) {
  return useQuery({ ...readinessQuery(id, wave ?? ''), enabled: wave !== undefined });
}
