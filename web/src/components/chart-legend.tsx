import { chartColor, useIsDark } from './chart-palette.ts';
import type { ChartSeries } from './chart-types.ts';

/**
 * A legend that filters: each entry is a toggle button (Tab to reach, Enter or Space
 * to switch), so hiding a series works from the keyboard and reads as pressed/not pressed.
 */
export function ChartLegend({
  label,
  series,
  hidden,
  onToggle,
}: {
  label: string;
  series: ChartSeries[];
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
}) {
  const dark = useIsDark();
  return (
    <ul aria-label={label} className="flex flex-wrap gap-1 text-xs">
      {series.map((s) => {
        const shown = !hidden.has(s.key);
        return (
          <li key={s.key}>
            <button
              type="button"
              aria-pressed={shown}
              onClick={() => onToggle(s.key)}
              title={shown ? `Hide ${s.name}` : `Show ${s.name}`}
              className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 hover:bg-slate-100 dark:hover:bg-slate-800 ${shown ? 'border-slate-300 dark:border-slate-600' : 'border-dashed border-slate-300 text-slate-500 line-through dark:border-slate-700 dark:text-slate-400'}`}
            >
              <span
                aria-hidden
                className={`inline-block ${s.kind === 'band' ? 'h-2 w-3 opacity-40' : s.kind === 'median' ? 'h-0.5 w-3' : 'h-0.5 w-3'}`}
                style={{ backgroundColor: chartColor(s.color, dark) }}
              />
              {s.name}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
