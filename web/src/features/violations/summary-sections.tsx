import type { UseQueryResult } from '@tanstack/react-query';

import type { ViolationSummary } from '@fleetdeck/shared';

import { QuerySection } from '../../components/query-section.tsx';
import { Breakdown } from './breakdown.tsx';
import { FeedNotes, TruncationNotes } from './feed-notes.tsx';
import { HeatMap } from './heat-map.tsx';
import { heatMapData } from './heat-map-data.ts';
import { NamespaceSummary } from './namespace-summary.tsx';

type Summary = UseQueryResult<ViolationSummary>;
const common = { loadingLabel: 'Counting violations…', errorTitle: 'The summary could not be loaded', notFoundIsNote: false } as const;

/** Stale and counts-only clusters and cut Gatekeeper lists, said before any number they affect. */
export function SummaryNotes({ summary }: { summary: Summary }) {
  const data = summary.data;
  if (!data || (data.feeds.every((f) => f.state === 'live') && data.truncations.length === 0)) return null;
  return (
    <section aria-label="How complete these numbers are" className="space-y-2 rounded-lg border border-amber-300 p-3 dark:border-amber-800">
      <FeedNotes feeds={data.feeds} />
      <TruncationNotes truncations={data.truncations} />
    </section>
  );
}

export function HeatMapSection({ summary, onPick }: { summary: Summary; onPick: (policy: string, cluster: string) => void }) {
  return (
    <QuerySection
      id="violations-heat-map"
      title="Policies × clusters"
      query={summary}
      {...common}
      empty={{
        when: (d) => d.byPolicyCluster.length === 0 && (d.countsOnly?.byPolicyCluster.length ?? 0) === 0,
        text: 'No violations under these filters.',
      }}
      partialErrors={(d) => d.errors}
    >
      {(d) => <HeatMap data={heatMapData(d)} onPick={onPick} />}
    </QuerySection>
  );
}

export function BreakdownSection({ summary }: { summary: Summary }) {
  return (
    <QuerySection
      id="violations-breakdown"
      title="By severity and engine"
      query={summary}
      {...common}
      actions={
        summary.data && (
          <span className="text-sm text-slate-600 dark:text-slate-300">
            {summary.data.total.toLocaleString('en')} in all
            {summary.data.countsOnly && ` · ${summary.data.countsOnly.total.toLocaleString('en')} more counts only (from metrics)`}
          </span>
        )
      }
      empty={{ when: (d) => d.total === 0, text: 'No violations under these filters.' }}
    >
      {(d) => <Breakdown summary={d} />}
    </QuerySection>
  );
}

export function NamespaceSection({ summary }: { summary: Summary }) {
  return (
    <QuerySection
      id="violations-namespaces"
      title="Per namespace: pass / warn / fail"
      query={summary}
      {...common}
      empty={{ when: (d) => d.byNamespace.length === 0, text: 'No namespace results under these filters.' }}
    >
      {(d) => (
        <>
          <NamespaceSummary rows={d.byNamespace} />
          {d.namespaces?.cut && (
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">
              The {d.byNamespace.length.toLocaleString('en')} of {d.namespaces.total.toLocaleString('en')} namespaces with the most
              violations; filter by cluster or tenant to see others.
            </p>
          )}
        </>
      )}
    </QuerySection>
  );
}
