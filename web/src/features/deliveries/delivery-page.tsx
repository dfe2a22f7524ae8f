import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { AlertTriangle, ArrowLeft } from 'lucide-react';

import { ApiError } from '../../api/client.ts';
import { deliveryQuery } from '../../api/queries.ts';
import { LiveBadge } from '../../components/live-badge.tsx';
import { Empty, ErrorPanel, Loading } from '../../components/states.tsx';
import { paths } from '../../config/paths.ts';
import { ArgoDetailsPanel } from './argo-details.tsx';
import { DeliveryActions } from './delivery-actions.tsx';
import { DeliveryHeader } from './delivery-header.tsx';
import { DeliveryTargets } from './delivery-targets.tsx';
import { useDeliveryEvents } from './use-delivery-events.ts';
import { WhatGoesWhere } from './what-goes-where.tsx';

const route = getRouteApi('/app/deliveries/$id');

/**
 * One GitRepo or Application, live: an event naming it refetches it in the background and
 * the page keeps what it has meanwhile. A 404 means it is gone, or not one this person may see.
 */
export function DeliveryPage() {
  const { id } = route.useParams();
  const detail = useQuery(deliveryQuery(id));
  const live = useDeliveryEvents();
  const gone = detail.error instanceof ApiError && detail.error.status === 404;
  const d = gone ? undefined : detail.data?.delivery;
  const partial = detail.data?.errors ?? [];
  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <Link to={paths.deliveries} className="inline-flex items-center gap-1 text-sm text-teal-800 hover:underline dark:text-teal-300">
        <ArrowLeft aria-hidden className="size-4" /> Deliveries
      </Link>
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="page-title" className="text-xl font-semibold">
          {d?.name ?? 'Delivery'}
        </h1>
        <LiveBadge state={live.state} />
      </div>
      {detail.isPending && <Loading label="Loading the delivery…" />}
      {gone && (
        <Empty title={detail.data ? 'This delivery is gone' : 'No such delivery'}>
          {detail.data
            ? `${detail.data.delivery.name} was deleted, or it no longer reaches a cluster you may see.`
            : 'There is no GitRepo or Application with this id that you may see.'}
        </Empty>
      )}
      {detail.isError && !gone && !d && (
        <ErrorPanel title="This delivery could not be loaded" error={detail.error} onRetry={() => void detail.refetch()} />
      )}
      {d && (
        <>
          {detail.isError && (
            <p role="status" className="flex items-center gap-2 text-sm text-amber-900 dark:text-amber-200">
              <AlertTriangle aria-hidden className="size-4" />
              Could not refresh ({detail.error.message}); showing what was last known.
            </p>
          )}
          <DeliveryHeader delivery={d} />
          {partial.length > 0 && (
            <p role="status" className="flex items-center gap-2 text-sm text-amber-900 dark:text-amber-200">
              <AlertTriangle aria-hidden className="size-4" />
              Partly unavailable: {partial.map((e) => `${e.source}${e.cluster ? ` (${e.cluster})` : ''}: ${e.reason}`).join('; ')}
            </p>
          )}
          <DeliveryActions delivery={d} />
          {d.argocd && <ArgoDetailsPanel argo={d.argocd} />}
          {d.placement && <WhatGoesWhere placement={d.placement} />}
          <DeliveryTargets delivery={d} />
        </>
      )}
    </section>
  );
}
