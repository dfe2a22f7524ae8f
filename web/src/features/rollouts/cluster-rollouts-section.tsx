import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';

import { fleetRolloutsQuery } from '../../api/queries.ts';
import { QuerySection } from '../../components/query-section.tsx';
import { paths } from '../../config/paths.ts';

/** The unfinished rollouts that include this cluster, each linked to its page (runs the person may not see whole are named as such). */
export function ClusterRolloutsSection({ name }: { name: string }) {
  const runs = useQuery({ ...fleetRolloutsQuery(), select: (data) => data.clusters[name] ?? [] });
  return (
    <QuerySection
      id="rollouts"
      title="Current rollouts"
      query={runs}
      loadingLabel="Loading rollouts…"
      errorTitle="Rollouts could not be loaded"
      notFoundIsNote={false}
      empty={{ when: (data) => data.length === 0, text: 'No unfinished rollout includes this cluster.' }}
    >
      {(data) => (
        <ul className="list-disc pl-5 text-sm">
          {data.map((r, i) => (
            <li key={`${r.namespace ?? ''}/${r.run}/${i}`}>
              {r.run === 'restricted' ? (
                'A rollout that also covers clusters outside your view'
              ) : r.id ? (
                <Link to={paths.rollout} params={{ id: r.id }} className="text-teal-800 hover:underline dark:text-teal-300">
                  {`${r.namespace ? `${r.namespace}/` : ''}${r.run}`}
                </Link>
              ) : (
                `${r.namespace ? `${r.namespace}/` : ''}${r.run}`
              )}{' '}
              — {r.state}
            </li>
          ))}
        </ul>
      )}
    </QuerySection>
  );
}
