import { ViolationAction, ViolationEngine, ViolationSeverity, ViolationSort } from '@fleetdeck/shared';

import { TextFilter } from '../../components/text-filter.tsx';
import { hasFilters, type ViolationsSearch } from './violation-search.ts';

const SELECT = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';

function Choice<T extends string>({
  label,
  any,
  value,
  options,
  onChange,
}: {
  label: string;
  any: string;
  value: T | undefined;
  options: readonly T[];
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
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Every filter of the API plus the sort; each change goes to the URL, the page's one source of truth. */
export function ViolationsFilterBar({
  search,
  choices,
  onChange,
}: {
  search: ViolationsSearch;
  /** What this person may see, to offer (from the fleet tree). */
  choices: { tenants: readonly string[]; envs: readonly string[]; clusters: readonly string[] };
  onChange: (next: ViolationsSearch) => void;
}) {
  const set = (patch: Partial<ViolationsSearch>) => onChange({ ...search, ...patch });
  return (
    <form role="search" aria-label="Filter violations" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <Choice
        label="Severity"
        any="Any severity"
        value={search.severity}
        options={ViolationSeverity.options}
        onChange={(severity) => set({ severity })}
      />
      <Choice
        label="Engine"
        any="Any engine"
        value={search.engine}
        options={ViolationEngine.options}
        onChange={(engine) => set({ engine })}
      />
      <Choice
        label="Action"
        any="Any action"
        value={search.action}
        options={ViolationAction.options}
        onChange={(action) => set({ action })}
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
      <TextFilter label="Policy" value={search.policy} onCommit={(policy) => set({ policy })} />
      <TextFilter label="Namespace" value={search.namespace} onCommit={(namespace) => set({ namespace })} />
      <TextFilter label="Resource kind" value={search.kind} onCommit={(kind) => set({ kind })} />
      <TextFilter label="Text" value={search.q} maxLength={200} onCommit={(q) => set({ q })} />
      <Choice label="Sort by" any="Default order" value={search.sort} options={ViolationSort.options} onChange={(sort) => set({ sort })} />
      <Choice label="Order" any="Default" value={search.order} options={['asc', 'desc'] as const} onChange={(order) => set({ order })} />
      {hasFilters(search) && (
        <button
          type="button"
          onClick={() => onChange({ ...(search.group && { group: search.group }), ...(search.range && { range: search.range }) })}
          className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
