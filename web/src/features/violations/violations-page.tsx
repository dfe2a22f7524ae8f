import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';

import { fleetTreeQuery, violationsSummaryQuery } from '../../api/queries.ts';
import { LiveBadge } from '../../components/live-badge.tsx';
import { CoverageSections } from './coverage-section.tsx';
import { ListSection } from './list-section.tsx';
import { BreakdownSection, HeatMapSection, NamespaceSection, SummaryNotes } from './summary-sections.tsx';
import { TrendsPanel } from './trends-panel.tsx';
import { useViolationEvents } from './use-violation-events.ts';
import { filtersOf, hasFilters, listQueryOf, type ViolationsSearch } from './violation-search.ts';
import { ViolationsFilterBar } from './violations-filter-bar.tsx';

const route = getRouteApi('/app/violations');

/**
 * Gatekeeper and Kyverno violations across every cluster the person may see, in their
 * scope: where (heat map), how bad (breakdown, trend), which (the grouped list) and
 * what is not covered at all (baseline policies, tenant isolation). Every filter lives
 * in the URL; each panel loads and fails on its own; a `violation` event refetches.
 */
export function ViolationsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const go = (next: ViolationsSearch) => void navigate({ search: next, replace: true });
  const filters = filtersOf(search);
  const summary = useQuery({ ...violationsSummaryQuery(filters), placeholderData: keepPreviousData });
  const choices = useQuery({
    ...fleetTreeQuery(),
    select: (tree) => ({
      tenants: tree.tenants.map((t) => t.id),
      envs: [...new Set(tree.tenants.flatMap((t) => t.environments.map((e) => e.name)))].sort(),
      clusters: tree.tenants.flatMap((t) => t.environments.flatMap((e) => e.clusters.map((c) => c.name))).sort(),
    }),
  });
  const live = useViolationEvents();

  return (
    <section aria-labelledby="page-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="page-title" className="text-xl font-semibold">
          Violations
        </h1>
        {summary.data && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {summary.data.total.toLocaleString('en')} {summary.data.total === 1 ? 'violation' : 'violations'} you may see
          </p>
        )}
        <LiveBadge state={live.state} />
      </div>
      <ViolationsFilterBar search={search} choices={choices.data ?? { tenants: [], envs: [], clusters: [] }} onChange={go} />
      <SummaryNotes summary={summary} />
      <div className="grid gap-4 xl:grid-cols-2">
        <HeatMapSection summary={summary} onPick={(policy, cluster) => go({ ...search, policy, cluster })} />
        <div className="space-y-4">
          <BreakdownSection summary={summary} />
          <TrendsPanel range={search.range ?? '24h'} onRange={(range) => go({ ...search, range })} />
        </div>
      </div>
      <ListSection
        query={listQueryOf(search)}
        filters={filters}
        group={search.group ?? 'policy'}
        onGroup={(group) => go({ ...search, group })}
        filtered={hasFilters(search)}
      />
      <NamespaceSection summary={summary} />
      <CoverageSections cluster={search.cluster} tenant={search.tenant} />
    </section>
  );
}
