import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { AlertTriangle, ArrowDown, ArrowUp, Loader2 } from 'lucide-react';
import { useMemo, useState } from 'react';

import { sortHealthRows, worstFirst, type FleetHealthPanel, type HealthTableSort, type HealthTableSortKey } from '@fleetdeck/shared';

import { RelativeTime } from '../../components/relative-time.tsx';
import { paths } from '../../config/paths.ts';
import { UNIT_NAMES, formatValue } from './format-unit.ts';
import { FIRST_ROWS, fleetPanelTableQuery } from './health-queries.ts';
import { nextSort } from './table-sort.ts';

/**
 * The latest value of every cluster in a panel, sortable by cluster or value, worst first.
 * The panel set carries the first rows, worst first (a fleet of 1,000 clusters stays a
 * readable page, and a range change does not move 9,000 rows); another order or "Show all"
 * asks for the panel's whole table, over the window the panel shows.
 */
export function PanelTable({ panel, window }: { panel: FleetHealthPanel; window: { from: string; to: string } }) {
  const { def, table, tableSize } = panel;
  const [sort, setSort] = useState<HealthTableSort>(() => worstFirst(def.worse));
  const [all, setAll] = useState(false);
  const opening = worstFirst(def.worse);
  const wantsWhole = all || sort.by !== opening.by || sort.dir !== opening.dir;
  const complete = table.length >= tableSize;
  const whole = useQuery({ ...fleetPanelTableQuery(def.id, window), enabled: wantsWhole && !complete });
  // A whole table that came back empty with the panel's errors is a failure, not "no clusters".
  const answered = whole.data && (whole.data.table.length > 0 || whole.data.errors.length === 0) ? whole.data.table : undefined;
  const rows = complete ? table : wantsWhole ? answered : undefined;
  // Until the whole table is here, the first rows stay as they came: worst first.
  const sorted = useMemo(() => (rows ? sortHealthRows(rows, sort) : table), [rows, table, sort]);
  const shown = all ? sorted : sorted.slice(0, FIRST_ROWS);
  const failed =
    whole.error ?? (whole.isSuccess && !answered ? (whole.data?.errors[0]?.reason ?? 'the panel was not in the answer') : undefined);
  if (tableSize === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No cluster has a latest value.</p>;
  const header = (by: HealthTableSortKey, text: string) => {
    const active = sort.by === by;
    const Icon = sort.dir === 'asc' ? ArrowUp : ArrowDown;
    return (
      <th
        scope="col"
        aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
        className={`px-2 py-1 font-medium ${by === 'value' ? 'text-right' : 'text-left'}`}
      >
        <button
          type="button"
          onClick={() => setSort(nextSort(sort, by, def.worse))}
          className="inline-flex items-center gap-1 hover:underline"
        >
          {text}
          {active && <Icon aria-hidden className="size-3" />}
        </button>
      </th>
    );
  };
  return (
    <div className="text-sm">
      {/* All rows scroll in their own box, reachable by keyboard, so the page stays readable at 1,000 clusters. */}
      <div
        className={all ? 'max-h-96 overflow-y-auto' : undefined}
        {...(all && { tabIndex: 0, role: 'region', 'aria-label': `${def.title}: all clusters` })}
      >
        <table className="w-full" data-testid={`table-${def.id}`} aria-busy={wantsWhole && !rows && !failed}>
          <caption className="sr-only">
            {def.title}: latest value per cluster ({tableSize} clusters)
          </caption>
          <thead className="border-b border-slate-200 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-300">
            <tr>
              {header('cluster', 'Cluster')}
              {header('value', `Latest (${UNIT_NAMES[def.unit]})`)}
              <th scope="col" className="px-2 py-1 text-right font-medium">
                As of
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.cluster} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-cluster={r.cluster}>
                <td className="max-w-48 truncate px-2 py-0.5">
                  <Link to={paths.cluster} params={{ name: r.cluster }} className="text-teal-800 hover:underline dark:text-teal-300">
                    {r.cluster}
                  </Link>
                </td>
                <td className="px-2 py-0.5 text-right tabular-nums">{formatValue(def.unit, r.value)}</td>
                <td className="px-2 py-0.5 text-right text-xs text-slate-600 dark:text-slate-300">
                  <RelativeTime iso={new Date(r.at * 1000).toISOString()} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {wantsWhole && !rows && (
        <p role="status" className="mt-1 flex items-center gap-1 text-xs text-slate-600 dark:text-slate-300">
          {failed ? (
            <>
              <AlertTriangle aria-hidden className="size-3 text-red-700 dark:text-red-300" />
              Could not load every cluster: {failed instanceof Error ? failed.message : String(failed)}
              <button type="button" onClick={() => void whole.refetch()} className="ml-1 text-teal-800 hover:underline dark:text-teal-300">
                Retry
              </button>
            </>
          ) : (
            <>
              <Loader2 aria-hidden className="size-3 animate-spin" />
              Loading all {tableSize.toLocaleString('en')} clusters…
            </>
          )}
        </p>
      )}
      {tableSize > FIRST_ROWS && (
        <button type="button" onClick={() => setAll(!all)} className="mt-1 text-xs text-teal-800 hover:underline dark:text-teal-300">
          {all ? `Show the first ${FIRST_ROWS}` : `Show all ${tableSize.toLocaleString('en')} clusters`}
        </button>
      )}
    </div>
  );
}
