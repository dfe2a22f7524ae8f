const SELECT = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';

/** One filter chosen from a list, with an "any" entry; the value lives in the URL. */
export function ChoiceFilter<T extends string>({
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

/** Where in the fleet: what the person may see, to offer (from the fleet tree). */
export interface FleetChoiceLists {
  tenants: readonly string[];
  envs: readonly string[];
  clusters: readonly string[];
}

export interface FleetChoiceValues {
  tenant?: string | undefined;
  env?: string | undefined;
  cluster?: string | undefined;
}

/** Tenant, environment and cluster filters, as every fleet-wide page offers them. */
export function FleetChoices({
  values,
  choices,
  onChange,
}: {
  values: FleetChoiceValues;
  choices: FleetChoiceLists;
  onChange: (patch: FleetChoiceValues) => void;
}) {
  return (
    <>
      <ChoiceFilter
        label="Tenant"
        any="Any tenant"
        value={values.tenant}
        options={choices.tenants}
        onChange={(tenant) => onChange({ tenant })}
      />
      <ChoiceFilter
        label="Environment"
        any="Any environment"
        value={values.env}
        options={choices.envs}
        onChange={(env) => onChange({ env })}
      />
      <ChoiceFilter
        label="Cluster"
        any="Any cluster"
        value={values.cluster}
        options={choices.clusters}
        onChange={(cluster) => onChange({ cluster })}
      />
    </>
  );
}

/** Shown while any filter is set: clears them (the page keeps what is not a filter). */
export function ClearFilters({ onClear }: { onClear: () => void }) {
  return (
    <button
      type="button"
      onClick={onClear}
      className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      Clear filters
    </button>
  );
}
