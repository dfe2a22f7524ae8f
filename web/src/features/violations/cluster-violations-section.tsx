import { useQuery } from '@tanstack/react-query';

import { clusterViolationsQuery } from '../../api/queries.ts';
import { QuerySection } from '../../components/query-section.tsx';

/** Gatekeeper and Kyverno findings read from the cluster as the person; unreadable sources are named. */
export function ClusterViolationsSection({ name }: { name: string }) {
  return (
    <QuerySection
      id="violations"
      title="Policy violations"
      query={useQuery(clusterViolationsQuery(name))}
      empty={{ when: (data) => data.items.length === 0, text: 'No violations you may see.' }}
      partialErrors={(data) => data.errors}
    >
      {(data) => (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
            <tr>
              <th scope="col">Engine</th>
              <th scope="col">Policy</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((v, i) => (
              <tr
                key={`${v.policy}/${v.resource.namespace ?? ''}/${v.resource.name}/${i}`}
                className="border-t border-slate-100 align-top dark:border-slate-800"
              >
                <td className="py-1">{v.engine}</td>
                <th scope="row" className="font-normal">
                  {v.policy}
                </th>
                <td>{v.enforcementAction ?? '—'}</td>
                <td className="font-mono text-xs">
                  {v.resource.kind} {v.resource.namespace ? `${v.resource.namespace}/` : ''}
                  {v.resource.name}
                </td>
                <td>{v.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </QuerySection>
  );
}
