import { useRef, useState, type KeyboardEvent } from 'react';

import { cellKey, heatLegend, heatStep, type HeatMapData } from './heat-map-data.ts';

// Light and dark shades per step; text stays readable on each (checked by axe in e2e).
const STEP_CLASS = [
  'bg-white text-slate-500 dark:bg-slate-900 dark:text-slate-400',
  'bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-100',
  'bg-orange-200 text-orange-950 dark:bg-orange-900 dark:text-orange-50',
  'bg-red-300 text-red-950 dark:bg-red-800 dark:text-white',
  'bg-red-700 text-white dark:bg-red-600 dark:text-white',
];

const violations = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'violation' : 'violations'}`;

/**
 * Policies × clusters, every cell a button with its number and a colour step (legend in
 * text). One cell is in the tab order; arrow keys, Home and End move; Enter or a click
 * filters the page to that policy and cluster.
 */
export function HeatMap({ data, onPick }: { data: HeatMapData; onPick: (policy: string, cluster: string) => void }) {
  const grid = useRef<HTMLTableSectionElement>(null);
  const [at, setAt] = useState<[number, number]>([0, 0]);
  const rows = data.policies.length;
  const cols = data.clusters.length;
  const row = Math.min(at[0], rows - 1);
  const col = Math.min(at[1], cols - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      ArrowLeft: [row, col - 1],
      ArrowRight: [row, col + 1],
      Home: [row, 0],
      End: [row, cols - 1],
    };
    if (e.key === 'Enter' && e.target instanceof HTMLButtonElement) {
      // Handled here (and the button's own click suppressed) so Enter picks exactly once.
      e.preventDefault();
      const [p, c] = [data.policies[row], data.clusters[col]];
      if (p !== undefined && c !== undefined) onPick(p, c);
      return;
    }
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const next: [number, number] = [Math.max(0, Math.min(rows - 1, move[0])), Math.max(0, Math.min(cols - 1, move[1]))];
    setAt(next);
    grid.current?.querySelector<HTMLElement>(`[data-cell="${next[0]}-${next[1]}"]`)?.focus();
  };

  return (
    <div>
      <div className="max-h-[28rem] overflow-auto">
        <table className="border-separate border-spacing-0.5 text-xs">
          <caption className="sr-only">
            Violations per policy and cluster; arrow keys move between cells, Enter filters the page to one.
          </caption>
          <thead>
            <tr>
              <th scope="col" className="sr-only">
                Policy
              </th>
              {data.clusters.map((c) => (
                <th key={c} scope="col" className="max-w-24 truncate px-1 text-left font-medium" title={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={grid} onKeyDown={onKeyDown}>
            {data.policies.map((p, i) => (
              <tr key={p}>
                <th scope="row" className="max-w-56 truncate pr-2 text-left font-mono font-normal" title={p}>
                  {p}
                </th>
                {data.clusters.map((c, j) => {
                  const n = data.counts.get(cellKey(p, c)) ?? 0;
                  const metricsOnly = data.countsOnly.has(cellKey(p, c));
                  return (
                    <td key={c} className="p-0">
                      <button
                        type="button"
                        data-cell={`${i}-${j}`}
                        tabIndex={i === row && j === col ? 0 : -1}
                        onFocus={() => setAt([i, j])}
                        onClick={() => onPick(p, c)}
                        aria-label={`${p} on ${c}: ${violations(n)}${metricsOnly ? ', counts only (from metrics, no resources)' : ''}`}
                        title={
                          metricsOnly ? 'counts only — from the metrics this cluster sends; no connection, so no resources' : undefined
                        }
                        data-counts-only={metricsOnly || undefined}
                        className={`h-7 w-12 rounded tabular-nums outline-offset-1 focus-visible:outline-2 focus-visible:outline-teal-600 ${STEP_CLASS[heatStep(n, data.max)]} ${metricsOnly ? 'border border-dashed border-sky-700 dark:border-sky-300' : ''}`}
                      >
                        {n}
                        {metricsOnly && <span aria-hidden>*</span>}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul aria-label="Colour scale" className="mt-2 flex flex-wrap items-center gap-2 text-xs">
        {heatLegend(data.max).map((l) => (
          <li key={l.step} className="flex items-center gap-1">
            <span
              aria-hidden
              className={`inline-block size-3 rounded border border-slate-300 dark:border-slate-700 ${STEP_CLASS[l.step]}`}
            />
            {l.text}
          </li>
        ))}
      </ul>
      {data.countsOnly.size > 0 && (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-300" data-testid="heat-map-counts-only">
          * counts only: from the metrics of clusters without a connection (Gatekeeper has no per-constraint metric, so its figure is for
          all constraints); no resources to list.
        </p>
      )}
      {(data.totalPolicies > rows || data.totalClusters > cols) && (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">
          Showing the {rows} of {data.totalPolicies} policies and {cols} of {data.totalClusters} clusters with the most violations; filter
          to see others.
        </p>
      )}
    </div>
  );
}
