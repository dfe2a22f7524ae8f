import { useQuery } from '@tanstack/react-query';

import { clusterWorkloadsQuery } from '../../api/queries.ts';
import { QuerySection } from '../../components/query-section.tsx';

/** Pods by namespace, read from the cluster as the person; namespaces its RBAC refused are named. */
export function ClusterWorkloadsSection({ name }: { name: string }) {
  return (
    <QuerySection id="workloads" title="Workloads" query={useQuery(clusterWorkloadsQuery(name))}>
      {(data) => (
        <>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
              <tr>
                <th scope="col">Namespace</th>
                <th scope="col">Running</th>
                <th scope="col">Pending</th>
                <th scope="col">Failed</th>
              </tr>
            </thead>
            <tbody>
              {data.namespaces.map((n) => (
                <tr key={n.namespace} className="border-t border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1 font-mono font-normal">
                    {n.namespace}
                  </th>
                  <td className="tabular-nums">{n.pods.running}</td>
                  <td className="tabular-nums">{n.pods.pending}</td>
                  <td className={`tabular-nums ${n.pods.failed > 0 ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>
                    {n.pods.failed}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.forbidden.length > 0 && (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">The cluster refused to show: {data.forbidden.join(', ')}.</p>
          )}
        </>
      )}
    </QuerySection>
  );
}
