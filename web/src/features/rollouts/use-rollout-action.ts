import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod/mini';

import {
  RolloutActionResult,
  apiPaths,
  apiUrl,
  type ApproveBody,
  type ConfirmBody,
  type PauseBody,
  type RejectBody,
  type RolloutActionKind,
} from '@fleetdeck/shared';

import { post } from '../../api/client.ts';
import { meQuery } from '../../api/queries.ts';
import { queryKeys } from '../../api/query-keys.ts';

/** One rollout action with the body its route takes. */
export type RolloutActionRequest =
  | { kind: 'approve'; wave: string; body: ApproveBody }
  | { kind: 'pause'; body: z.infer<typeof PauseBody> }
  | { kind: 'reject'; body: z.infer<typeof RejectBody> }
  | { kind: 'abort' | 'rollback'; body: z.infer<typeof ConfirmBody> }
  | { kind: 'resume' | 'unpin' };

const PATH: Record<RolloutActionKind, string> = {
  approve: apiPaths.rolloutApprove,
  pause: apiPaths.rolloutPause,
  resume: apiPaths.rolloutResume,
  reject: apiPaths.rolloutReject,
  abort: apiPaths.rolloutAbort,
  rollback: apiPaths.rolloutRollback,
  unpin: apiPaths.rolloutUnpin,
};

/**
 * Sends one action on a rollout (with the session's CSRF token) and, whatever the
 * answer, marks the rollouts lists, this rollout, its readiness and the inbox stale so they
 * show what happened.
 */
export function useRolloutAction(id: string) {
  const queryClient = useQueryClient();
  const me = useQuery(meQuery());
  return useMutation({
    mutationFn: async (req: RolloutActionRequest) => {
      const csrfToken = me.data?.csrfToken;
      if (!csrfToken) throw new Error('Your session is still loading; try again in a moment.');
      const url = apiUrl(PATH[req.kind], req.kind === 'approve' ? { id, wave: req.wave } : { id });
      const res = await post(url, csrfToken, 'body' in req ? req.body : {});
      const parsed = RolloutActionResult.safeParse(await res.json());
      if (!parsed.success) throw new Error(`unexpected answer from ${url}`);
      return parsed.data;
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.rollouts.lists() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.rollouts.detail(id), exact: true }),
        queryClient.invalidateQueries({ queryKey: queryKeys.rollouts.readinessOf(id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.inbox() }),
      ]),
  });
}
