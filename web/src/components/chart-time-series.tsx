import { ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { useMemo } from 'react';

import { chartColor, useIsDark } from './chart-palette.ts';
import { AXES_MARGIN, ChartAxes } from './chart-axes.tsx';
import { fixedYAxis, niceYAxis } from './chart-domain.ts';
import { SeriesPaths, rowAt } from './chart-paths.tsx';
import { formatTickTime, timeTicks } from './chart-time.ts';
import { ChartTooltip } from './chart-tooltip.tsx';
import type { ChartRow, ChartSeries } from './chart-types.ts';

const MARGIN_RIGHT = 12;

export interface TimeSeriesChartProps {
  rows: readonly ChartRow[];
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
  // A fleet chart (one with a band) draws its band and lines itself (chart-paths.tsx); a
  // cluster chart's few lines stay recharts <Line>s.
  const ownLines = series.some((s) => s.kind === 'band');
  const paths = ownLines ? visible : [];
  // recharts sees neither those paths' values nor its own (hidden) axes' ticks: the y axis is
  // worked out here over every visible series, the way its `auto` domain would be.
  const visibleKeys = visible.map((s) => s.key).join(' ');
  const yAxis = useMemo(
    () => (yDomain ? fixedYAxis(yDomain, !integerTicks) : niceYAxis(rows, visibleKeys.split(' '), !integerTicks)),
    [rows, visibleKeys, yDomain, integerTicks],
  );
  const ticks = timeTicks(timeDomain);
  const formatX = useMemo(() => (t: number) => formatTickTime(t, span), [span]);
  return (
    <div className="text-slate-600 dark:text-slate-300" data-series-visible={visibleKeys}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
        <ComposedChart data={rows} margin={{ top: 8, right: MARGIN_RIGHT, ...AXES_MARGIN }} role="img" aria-label={label}>
          {/* Declared for their scales only; ChartAxes draws them (see there why). */}
          {/* niceTicks none: the ticks are given, so recharts need not work out its own (decimal.js, slow when cold). */}
          <XAxis dataKey="t" type="number" scale="time" domain={timeDomain} ticks={ticks} niceTicks="none" allowDataOverflow hide />
          <YAxis
            domain={yAxis?.domain ?? ['auto', 'auto']}
            {...(yAxis && { ticks: yAxis.ticks })}
            allowDecimals={!integerTicks}
            niceTicks="none"
            allowDataOverflow
            hide
          />
          <ChartAxes xTicks={ticks} yTicks={yAxis?.ticks ?? []} formatX={formatX} formatY={formatTick} marginRight={MARGIN_RIGHT} />
          <Tooltip
            isAnimationActive={false}
            includeHidden={ownLines}
            cursor={{ stroke: 'currentColor', strokeOpacity: 0.4 }}
            content={({ active, payload, label }) => (
              <ChartTooltip
                active={active}
                row={(payload?.[0]?.payload as ChartRow | undefined) ?? rowAt(rows, label)}
                series={visible}
                formatValue={formatValue}
                dark={dark}
              />
            )}
          />
          {/* recharts shows its tooltip only while an item gives it a payload (the hovered row): a
              hidden line is an item it registers but never draws (it works out points only to draw). */}
          {ownLines && <Line dataKey={series[0]!.key} hide isAnimationActive={false} dot={false} activeDot={false} legendType="none" />}
          {!ownLines &&
            series.map((s) => (
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
            ))}
          {paths.length > 0 && <SeriesPaths rows={rows} series={paths} dark={dark} />}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
