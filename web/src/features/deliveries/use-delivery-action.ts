import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  BulkSyncResult,
  DeliveryActionResult,
  apiPaths,
  apiUrl,
  type BulkSyncBody,
  type DeliveryPauseBody,
  type ForceUpdateBody,
  type RefreshBody,
  type SyncBody,
} from '@fleetdeck/shared';

import { post } from '../../api/client.ts';
import { meQuery } from '../../api/queries.ts';
import { queryKeys } from '../../api/query-keys.ts';

/** One action on one delivery with the body its route takes. */
export type DeliveryActionRequest =
  | { kind: 'force-update'; body: ForceUpdateBody }
  | { kind: 'pause' | 'resume'; body: DeliveryPauseBody }
  | { kind: 'sync'; body: SyncBody }
  | { kind: 'refresh'; body: RefreshBody };

const PATH: Record<DeliveryActionRequest['kind'], string> = {
  'force-update': apiPaths.deliveryForceUpdate,
  pause: apiPaths.deliveryPause,
  resume: apiPaths.deliveryResume,
  sync: apiPaths.deliverySync,
  refresh: apiPaths.deliveryRefresh,
};

function useCsrf(): () => string {
  const me = useQuery(meQuery());
  return () => {
    const token = me.data?.csrfToken;
    if (!token) throw new Error('Your session is still loading; try again in a moment.');
    return token;
  };
}

/** Marks every delivery view stale, so each shows what the action did (live events follow as the engine moves). */
const invalidateAll = (queryClient: ReturnType<typeof useQueryClient>) =>
  queryClient.invalidateQueries({ queryKey: queryKeys.deliveries.all() });

/** Sends one action on a delivery (with the session's CSRF token); whatever the answer, the delivery views refetch. */
export function useDeliveryAction(id: string) {
  const queryClient = useQueryClient();
  const csrf = useCsrf();
  return useMutation({
    mutationFn: async (req: DeliveryActionRequest) => {
      const url = apiUrl(PATH[req.kind], { id });
      const parsed = DeliveryActionResult.safeParse(await (await post(url, csrf(), req.body)).json());
      if (!parsed.success) throw new Error(`unexpected answer from ${url}`);
      return parsed.data;
    },
    onSettled: () => invalidateAll(queryClient),
  });
}

/** Syncs the previewed Argo CD apps; the BFF checks each again and answers per app. */
export function useBulkSync() {
  const queryClient = useQueryClient();
  const csrf = useCsrf();
  return useMutation({
    mutationFn: async (body: BulkSyncBody) => {
      const parsed = BulkSyncResult.safeParse(await (await post(apiPaths.deliveriesBulkSync, csrf(), body)).json());
      if (!parsed.success) throw new Error(`unexpected answer from ${apiPaths.deliveriesBulkSync}`);
      return parsed.data;
    },
    onSettled: () => invalidateAll(queryClient),
  });
}
