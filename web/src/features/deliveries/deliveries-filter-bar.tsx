import { DeliveryEngine, DeliverySort } from '@fleetdeck/shared';

import { TextFilter } from '../../components/text-filter.tsx';
import { ENGINE_LABEL } from './engine-label.ts';
import { hasFilters, type DeliveriesSearch } from './delivery-search.ts';

const SELECT = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
const SORT_LABEL: Record<DeliverySort, string> = { status: 'Worst state first', name: 'Name', lastSync: 'Last sync' };

function Choice<T extends string>({
  label,
  any,
  value,
  options,
  text = (o) => o,
  onChange,
}: {
  label: string;
  any: string;
  value: T | undefined;
  options: readonly T[];
  text?: (option: T) => string;
  onChange: (value: T | undefined) => void;
}) {
  // A value in the URL that is not offered (a cluster not in view yet) is kept and shown as is.
  const all = value !== undefined && !options.includes(value) ? [...options, value] : options;
  return (
    <label className="flex flex-col text-xs font-medium">
      {label}
      <select className={SELECT} value={value ?? ''} onChange={(e) => onChange(all.find((o) => o === e.target.value))}>
        <option value="">{any}</option>
        {all.map((o) => (
          <option key={o} value={o}>
            {text(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Every filter of the API plus the sort; each change goes to the URL, the page's one source of truth. */
export function DeliveriesFilterBar({
  search,
  choices,
  onChange,
}: {
  search: DeliveriesSearch;
  /** What this person may see, to offer (from the fleet tree). */
  choices: { tenants: readonly string[]; envs: readonly string[]; clusters: readonly string[] };
  onChange: (next: DeliveriesSearch) => void;
}) {
  const set = (patch: Partial<DeliveriesSearch>) => onChange({ ...search, ...patch });
  return (
    <form role="search" aria-label="Filter deliveries" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <Choice
        label="Engine"
        any="Any engine"
        value={search.engine}
        options={DeliveryEngine.options}
        text={(e) => ENGINE_LABEL[e]}
        onChange={(engine) => set({ engine })}
      />
      <Choice label="Tenant" any="Any tenant" value={search.tenant} options={choices.tenants} onChange={(tenant) => set({ tenant })} />
      <Choice label="Environment" any="Any environment" value={search.env} options={choices.envs} onChange={(env) => set({ env })} />
      <Choice
        label="Cluster"
        any="Any cluster"
        value={search.cluster}
        options={choices.clusters}
        onChange={(cluster) => set({ cluster })}
      />
      <TextFilter label="Labels (e.g. env=production)" value={search.labels} maxLength={1024} onCommit={(labels) => set({ labels })} />
      <TextFilter label="Text" value={search.q} maxLength={200} onCommit={(q) => set({ q })} />
      <Choice
        label="Sort by"
        any="Default order"
        value={search.sort}
        options={DeliverySort.options}
        text={(s) => SORT_LABEL[s]}
        onChange={(sort) => set({ sort })}
      />
      {hasFilters(search) && (
        <button
          type="button"
          onClick={() => onChange({ ...(search.group && { group: search.group }), ...(search.sort && { sort: search.sort }) })}
          className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
