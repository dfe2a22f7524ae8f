import { DeliveryEngine, DeliverySort } from '@fleetdeck/shared';

import { ChoiceFilter, ClearFilters, FleetChoices, type FleetChoiceLists } from '../../components/filter-controls.tsx';
import { TextFilter } from '../../components/text-filter.tsx';
import { ENGINE_LABEL } from './engine-label.ts';
import { hasFilters, type DeliveriesSearch } from './delivery-search.ts';

const SORT_LABEL: Record<DeliverySort, string> = { status: 'Worst state first', name: 'Name', lastSync: 'Last sync' };

/** Every filter of the API plus the sort; each change goes to the URL, the page's one source of truth. */
export function DeliveriesFilterBar({
  search,
  choices,
  onChange,
}: {
  search: DeliveriesSearch;
  /** What this person may see, to offer (from the fleet tree). */
  choices: FleetChoiceLists;
  onChange: (next: DeliveriesSearch) => void;
}) {
  const set = (patch: Partial<DeliveriesSearch>) => onChange({ ...search, ...patch });
  return (
    <form role="search" aria-label="Filter deliveries" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <ChoiceFilter
        label="Engine"
        any="Any engine"
        value={search.engine}
        options={DeliveryEngine.options}
        text={(e) => ENGINE_LABEL[e]}
        onChange={(engine) => set({ engine })}
      />
      <FleetChoices values={search} choices={choices} onChange={set} />
      <TextFilter label="Labels (e.g. env=production)" value={search.labels} maxLength={1024} onCommit={(labels) => set({ labels })} />
      <TextFilter label="Text" value={search.q} maxLength={200} onCommit={(q) => set({ q })} />
      <ChoiceFilter
        label="Sort by"
        any="Default order"
        value={search.sort}
        options={DeliverySort.options}
        text={(s) => SORT_LABEL[s]}
        onChange={(sort) => set({ sort })}
      />
      {hasFilters(search) && (
        <ClearFilters
          onClear={() => onChange({ ...(search.group && { group: search.group }), ...(search.sort && { sort: search.sort }) })}
        />
      )}
    </form>
  );
}
