import type { DeliveryDetail } from '@fleetdeck/shared';

import { isBehind, TargetRow } from './target-row.tsx';

const HEADERS = ['Cluster', 'State', 'Applied commit', 'Last sync', 'Paused', 'Message', 'Resources'];

/** Every cluster the delivery reaches that the person may see, worst first as the server sends them. */
export function DeliveryTargets({ delivery: d }: { delivery: DeliveryDetail }) {
  const behind = d.targets.filter((t) => isBehind(t, d.renderedCommit)).length;
  return (
    <section aria-labelledby="delivery-targets" className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <div className="mb-2 flex flex-wrap items-baseline gap-3">
        <h2 id="delivery-targets" className="font-semibold">
          Clusters
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          {d.targets.length} {d.targets.length === 1 ? 'cluster' : 'clusters'}
          {behind > 0 && `, ${behind} behind the ${d.engine === 'fleet' ? 'rendered' : 'last synced'} commit`}
        </p>
      </div>
      {d.targets.length === 0 ? (
        <p className="text-sm">It reaches no cluster you may see.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">The clusters {d.name} reaches, with the state and commit applied on each</caption>
            <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
              <tr>
                {HEADERS.map((h) => (
                  <th key={h} scope="col" className="py-2 pr-3">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.targets.map((t) => (
                <TargetRow key={t.cluster} target={t} rendered={d.renderedCommit} columns={HEADERS.length} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
