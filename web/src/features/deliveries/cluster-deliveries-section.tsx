import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';

import { clusterDeliveriesQuery } from '../../api/queries.ts';
import { QuerySection } from '../../components/query-section.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { paths } from '../../config/paths.ts';
import { Commit } from './commit.tsx';
import { DeliveryStatusLabel } from './delivery-status.tsx';
import { ENGINE_LABEL } from './engine-label.ts';
import { useDeliveryEvents } from './use-delivery-events.ts';

/** Every GitRepo and Application on this cluster, with its state and the commit applied here, each linked to its page. */
export function ClusterDeliveriesSection({ name }: { name: string }) {
  const deliveries = useQuery(clusterDeliveriesQuery(name));
  useDeliveryEvents();
  return (
    <QuerySection
      id="deliveries"
      title="Deliveries"
      query={deliveries}
      loadingLabel="Loading deliveries…"
      errorTitle="Deliveries could not be loaded"
      notFoundIsNote={false}
      empty={{ when: (data) => data.items.length === 0, text: 'No GitRepo or Application you may see deploys to this cluster.' }}
      partialErrors={(data) => data.errors}
    >
      {(data) => (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">GitRepos and Applications on {name}</caption>
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
            <tr>
              <th scope="col" className="py-1 pr-3">
                Name
              </th>
              <th scope="col" className="py-1 pr-3">
                State here
              </th>
              <th scope="col" className="py-1 pr-3">
                Applied commit
              </th>
              <th scope="col" className="py-1 pr-3">
                Last sync
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map(({ delivery: d, target: t }) => (
              <tr key={d.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="cluster-delivery">
                <th scope="row" className="py-1.5 pr-3 text-left font-normal">
                  <Link to={paths.delivery} params={{ id: d.id }} className="font-medium text-teal-800 hover:underline dark:text-teal-300">
                    {d.name}
                  </Link>
                  <span className="block text-xs text-slate-600 dark:text-slate-400">{ENGINE_LABEL[d.engine]}</span>
                </th>
                <td className="py-1.5 pr-3">
                  <DeliveryStatusLabel status={t.status} />
                </td>
                <td className="py-1.5 pr-3">
                  <Commit commit={t.appliedCommit} />
                </td>
                <td className="py-1.5 pr-3">{t.lastSyncAt ? <RelativeTime iso={t.lastSyncAt} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </QuerySection>
  );
}
