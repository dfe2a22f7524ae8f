import { ViolationAction, ViolationEngine, ViolationSeverity, ViolationSort } from '@fleetdeck/shared';

import { ChoiceFilter, ClearFilters, FleetChoices, type FleetChoiceLists } from '../../components/filter-controls.tsx';
import { TextFilter } from '../../components/text-filter.tsx';
import { hasFilters, type ViolationsSearch } from './violation-search.ts';

/** Every filter of the API plus the sort; each change goes to the URL, the page's one source of truth. */
export function ViolationsFilterBar({
  search,
  choices,
  onChange,
}: {
  search: ViolationsSearch;
  /** What this person may see, to offer (from the fleet tree). */
  choices: FleetChoiceLists;
  onChange: (next: ViolationsSearch) => void;
}) {
  const set = (patch: Partial<ViolationsSearch>) => onChange({ ...search, ...patch });
  return (
    <form role="search" aria-label="Filter violations" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <ChoiceFilter
        label="Severity"
        any="Any severity"
        value={search.severity}
        options={ViolationSeverity.options}
        onChange={(severity) => set({ severity })}
      />
      <ChoiceFilter
        label="Engine"
        any="Any engine"
        value={search.engine}
        options={ViolationEngine.options}
        onChange={(engine) => set({ engine })}
      />
      <ChoiceFilter
        label="Action"
        any="Any action"
        value={search.action}
        options={ViolationAction.options}
        onChange={(action) => set({ action })}
      />
      <FleetChoices values={search} choices={choices} onChange={set} />
      <TextFilter label="Policy" value={search.policy} onCommit={(policy) => set({ policy })} />
      <TextFilter label="Namespace" value={search.namespace} onCommit={(namespace) => set({ namespace })} />
      <TextFilter label="Resource kind" value={search.kind} onCommit={(kind) => set({ kind })} />
      <TextFilter label="Text" value={search.q} maxLength={200} onCommit={(q) => set({ q })} />
      <ChoiceFilter
        label="Sort by"
        any="Default order"
        value={search.sort}
        options={ViolationSort.options}
        onChange={(sort) => set({ sort })}
      />
      <ChoiceFilter
        label="Order"
        any="Default"
        value={search.order}
        options={['asc', 'desc'] as const}
        onChange={(order) => set({ order })}
      />
      {hasFilters(search) && (
        <ClearFilters
          onClear={() => onChange({ ...(search.group && { group: search.group }), ...(search.range && { range: search.range }) })}
        />
      )}
    </form>
  );
}
