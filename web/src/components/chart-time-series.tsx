import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { chartColor, useIsDark } from './chart-palette.ts';
import { formatTickTime, timeTicks } from './chart-time.ts';
import { ChartTooltip } from './chart-tooltip.tsx';
import type { ChartRow, ChartSeries } from './chart-types.ts';

export interface TimeSeriesChartProps {
  rows: ChartRow[];
  series: ChartSeries[];
  /** Keys of series the legend has switched off. */
  hidden: ReadonlySet<string>;
  /** The time axis, unix seconds: the window asked for, not just where data is. */
  timeDomain: [number, number];
  yDomain?: [number, number] | undefined;
  /** Whole-number ticks only (counts). */
  integerTicks?: boolean;
  formatValue: (v: number) => string;
  formatTick: (v: number) => string;
  /** The chart's accessible name: what it shows and what it says now. */
  label: string;
  height?: number;
}

/**
 * A time-series chart (recharts): shaded bands and lines over time, a hover and
 * keyboard tooltip (arrow keys once focused) with every visible value and its time.
 * Only lazily loaded pages import this, so the chart library stays out of the sign-in chunk.
 */
export function TimeSeriesChart({
  rows,
  series,
  hidden,
  timeDomain,
  yDomain,
  integerTicks = false,
  formatValue,
  formatTick,
  label,
  height = 200,
}: TimeSeriesChartProps) {
  const dark = useIsDark();
  const span = timeDomain[1] - timeDomain[0];
  const visible = series.filter((s) => !hidden.has(s.key));
  const ticks = timeTicks(timeDomain);
  return (
    <div className="text-slate-600 dark:text-slate-300" data-series-visible={visible.map((s) => s.key).join(' ')}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} role="img" aria-label={label}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={timeDomain}
            ticks={ticks}
            interval={0}
            allowDataOverflow
            tickFormatter={(t: number) => formatTickTime(t, span)}
            stroke="currentColor"
            tick={{ fill: 'currentColor', fontSize: 11 }}
            minTickGap={24}
          />
          <YAxis
            domain={yDomain ?? ['auto', 'auto']}
            allowDecimals={!integerTicks}
            tickFormatter={formatTick}
            stroke="currentColor"
            tick={{ fill: 'currentColor', fontSize: 11 }}
            width={72}
          />
          <Tooltip
            isAnimationActive={false}
            cursor={{ stroke: 'currentColor', strokeOpacity: 0.4 }}
            content={({ active, payload }) => (
              <ChartTooltip
                active={active}
                row={payload?.[0]?.payload as ChartRow | undefined}
                series={visible}
                formatValue={formatValue}
                dark={dark}
              />
            )}
          />
          {series.map((s) =>
            s.kind === 'band' ? (
              <Area
                key={s.key}
                dataKey={s.key}
                name={s.name}
                hide={hidden.has(s.key)}
                stroke="none"
                fill={chartColor(s.color, dark)}
                fillOpacity={dark ? 0.3 : 0.2}
                isAnimationActive={false}
                activeDot={false}
              />
            ) : (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                hide={hidden.has(s.key)}
                type="linear"
                stroke={chartColor(s.color, dark)}
                strokeWidth={s.kind === 'median' ? 2 : 1.5}
                strokeDasharray={s.kind === 'median' ? '5 3' : undefined}
                dot={false}
                isAnimationActive={false}
                className={`series-${s.key}`}
              />
            ),
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
