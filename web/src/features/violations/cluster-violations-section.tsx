import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';

import { ViolationSeverity, type ViolationSummary } from '@fleetdeck/shared';

import { clusterViolationsQuery, violationsSummaryQuery } from '../../api/queries.ts';
import { QuerySection } from '../../components/query-section.tsx';
import { paths } from '../../config/paths.ts';
import { FeedText, TruncationNotes } from './feed-notes.tsx';
import { resourceText } from './group-rows.ts';
import { ACTION_LABEL, SEVERITY_CLASS } from './labels.ts';
import { useViolationEvents } from './use-violation-events.ts';

/** Severity counts over all of them (the summary), in severity order; none while it loads or if it failed. */
function severityCounts(summary: ViolationSummary | undefined): [ViolationSeverity, number][] {
  const counts = new Map(summary?.bySeverity.map((s) => [s.severity, s.count]));
  return ViolationSeverity.options.flatMap((s): [ViolationSeverity, number][] => (counts.get(s) ? [[s, counts.get(s)!]] : []));
}

/** This cluster's violations (what the person may see of them), the first ones with a link to all of them on the Violations page. */
export function ClusterViolationsSection({ name }: { name: string }) {
  const query = useQuery(clusterViolationsQuery(name));
  const summary = useQuery(violationsSummaryQuery({ cluster: name }));
  useViolationEvents();
  const all = (
    <Link to={paths.violations} search={{ cluster: name }} className="ml-auto text-sm text-teal-800 underline dark:text-teal-300">
      All violations on {name}
    </Link>
  );
  return (
    <QuerySection
      id="violations"
      title="Policy violations"
      query={query}
      actions={all}
      loadingLabel="Loading violations…"
      errorTitle="Violations could not be loaded"
      notFoundIsNote={false}
      empty={{ when: (d) => d.total === 0 && d.feeds.every((f) => f.state === 'live'), text: 'No violations you may see.' }}
      partialErrors={(d) => d.errors}
    >
      {(d) => (
        <div className="space-y-2">
          {d.feeds
            .filter((f) => f.state !== 'live')
            .map((f) => (
              <p key={f.cluster} className="text-sm text-amber-800 dark:text-amber-300" data-testid="feed-note">
                <FeedText feed={f} />
              </p>
            ))}
          <TruncationNotes truncations={d.truncations} />
          <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="cluster-violation-counts">
            {d.total.toLocaleString('en')} {d.total === 1 ? 'violation' : 'violations'}
            {d.items.length < d.total && ` (first ${d.items.length} below)`}
            {severityCounts(summary.data).map(([s, n]) => (
              <span key={s} className={`rounded px-1.5 text-xs font-medium ${SEVERITY_CLASS[s]}`}>
                {s}: {n}
              </span>
            ))}
          </p>
          {d.items.length > 0 && (
            <table className="w-full table-fixed text-left text-sm">
              <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Policy</th>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((v) => (
                  <tr key={v.id} className="border-t border-slate-100 align-top dark:border-slate-800">
                    <td className="py-1">
                      <span className={`rounded px-1.5 text-xs font-medium ${SEVERITY_CLASS[v.severity]}`}>{v.severity}</span>
                    </td>
                    <th scope="row" className="truncate font-mono text-xs font-normal" title={v.policy}>
                      {v.policy}
                    </th>
                    <td>{ACTION_LABEL[v.action]}</td>
                    <td className="truncate font-mono text-xs">{resourceText(v)}</td>
                    <td className="truncate" title={v.message}>
                      {v.message}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </QuerySection>
  );
}
