import { chartColor } from './chart-palette.ts';
import { formatFullTime } from './chart-time.ts';
import type { ChartRow, ChartSeries } from './chart-types.ts';

/** The hover/keyboard tooltip: the exact time, then each visible series' value at it. */
export function ChartTooltip({
  active,
  row,
  series,
  formatValue,
  dark,
}: {
  active: boolean | undefined;
  row: ChartRow | undefined;
  series: ChartSeries[];
  formatValue: (v: number) => string;
  dark: boolean;
}) {
  if (!active || !row) return null;
  return (
    <div
      data-testid="chart-tooltip"
      className="rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-900 shadow dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
    >
      <p className="font-medium">{formatFullTime(row.t)}</p>
      <ul>
        {series.map((s) => {
          const v = row[s.key];
          if (v === undefined || v === null) return null;
          return (
            <li key={s.key} className="flex items-center gap-1.5 tabular-nums">
              <span aria-hidden className="inline-block size-2 rounded-full" style={{ backgroundColor: chartColor(s.color, dark) }} />
              <span>{s.name}:</span>
              <span className="font-medium">{Array.isArray(v) ? `${formatValue(v[0])} – ${formatValue(v[1])}` : formatValue(v)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
