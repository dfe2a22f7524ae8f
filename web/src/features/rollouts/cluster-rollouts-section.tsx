import { useQuery } from '@tanstack/react-query';

import { fleetRolloutsQuery } from '../../api/queries.ts';
import { QuerySection } from '../../components/query-section.tsx';

/** The unfinished rollouts that include this cluster (runs the person may not see whole are named as such). */
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
              {r.run === 'restricted'
                ? 'A rollout that also covers clusters outside your view'
                : `${r.namespace ? `${r.namespace}/` : ''}${r.run}`}{' '}
              — {r.state}
            </li>
          ))}
        </ul>
      )}
    </QuerySection>
  );
}
