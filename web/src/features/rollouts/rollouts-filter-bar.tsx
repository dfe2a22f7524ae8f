import { RolloutSourceKind, RolloutState } from '@fleetdeck/shared';

import type { RolloutsSearch } from './rollout-filters.ts';
import { ROLLOUT_STATE } from './rollout-states.ts';
import { SOURCE_LABEL } from './source-label.ts';

const SELECT = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';

/** State, tenant, source and "awaiting your approval": each change goes to the URL (the page's one source of truth). */
export function RolloutsFilterBar({
  search,
  tenants,
  onChange,
}: {
  search: RolloutsSearch;
  /** The tenants this person may see (any other value in the URL is kept and shown as is). */
  tenants: readonly string[];
  onChange: (next: RolloutsSearch) => void;
}) {
  const tenantOptions = search.tenant && !tenants.includes(search.tenant) ? [...tenants, search.tenant] : tenants;
  const set = (patch: Partial<RolloutsSearch>) => onChange({ ...search, ...patch });
  return (
    <form role="search" aria-label="Filter rollouts" className="mb-3 flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <label className="flex flex-col text-xs font-medium">
        State
        <select className={SELECT} value={search.state ?? ''} onChange={(e) => set({ state: RolloutState.safeParse(e.target.value).data })}>
          <option value="">Any state</option>
          {RolloutState.options.map((s) => (
            <option key={s} value={s}>
              {ROLLOUT_STATE[s].text}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium">
        Tenant
        <select className={SELECT} value={search.tenant ?? ''} onChange={(e) => set({ tenant: e.target.value || undefined })}>
          <option value="">Any tenant</option>
          {tenantOptions.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium">
        Source
        <select
          className={SELECT}
          value={search.source ?? ''}
          onChange={(e) => set({ source: RolloutSourceKind.safeParse(e.target.value).data })}
        >
          <option value="">Any source</option>
          {RolloutSourceKind.options.map((s) => (
            <option key={s} value={s}>
              {SOURCE_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1.5 py-1 text-sm">
        <input
          type="checkbox"
          checked={search.awaiting === true}
          onChange={(e) => set({ awaiting: e.target.checked ? true : undefined })}
          className="size-4"
        />
        Awaiting your approval
      </label>
      {(search.state ?? search.tenant ?? search.source ?? search.awaiting) !== undefined && (
        <button
          type="button"
          onClick={() => onChange({})}
          className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
