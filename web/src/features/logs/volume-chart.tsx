import { useQuery } from '@tanstack/react-query';
import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { useIsDark } from '../../components/chart-palette.ts';
import { formatFullTime, formatTickTime } from '../../components/chart-time.ts';
import { ErrorPanel, Loading } from '../../components/states.tsx';
import type { HealthView } from '../health/health-window.ts';
import { LEVEL_STYLE, LOG_LEVELS } from './log-level.ts';
import { logVolumeQuery } from './logs-queries.ts';

/**
 * Lines per level over the window, stacked (lines without a level in their own bucket).
 * Clicking a bar narrows the window to that bucket: one query with the new range.
 * Memoised: the live tail re-renders the page on every batch of lines; this part need not.
 */
export const VolumeChart = memo(function VolumeChart({
  query,
  view,
  onNarrow,
}: {
  query: string;
  view: HealthView;
  onNarrow: (from: number, to: number) => void;
}) {
  const volume = useQuery(logVolumeQuery(query, view));
  const dark = useIsDark();
  if (volume.isPending) return <Loading label="Counting lines…" />;
  if (volume.isError)
    return <ErrorPanel title="The log volume could not be counted" error={volume.error} onRetry={() => void volume.refetch()} />;
  const { rows, levels, stepSeconds, startMs, endMs } = volume.data;
  const shown = LOG_LEVELS.filter((l) => levels.includes(l));
  const total = rows.reduce((n, r) => n + shown.reduce((m, l) => m + (r[l] ?? 0), 0), 0);
  const span = (endMs - startMs) / 1000;
  const label = `Log volume by level: ${total.toLocaleString('en')} lines in ${rows.length} buckets of ${stepSeconds} s`;
  return (
    <div className="text-slate-600 dark:text-slate-300" data-testid="log-volume" data-total={total}>
      <ResponsiveContainer width="100%" height={120} initialDimension={{ width: 560, height: 120 }}>
        <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} role="img" aria-label={label} barCategoryGap={1}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[startMs / 1000, endMs / 1000]}
            tickFormatter={(t: number) => formatTickTime(t, span)}
            stroke="currentColor"
            tick={{ fill: 'currentColor', fontSize: 11 }}
            minTickGap={24}
          />
          <YAxis allowDecimals={false} width={40} stroke="currentColor" tick={{ fill: 'currentColor', fontSize: 11 }} />
          <Tooltip
            labelFormatter={(t) => (typeof t === 'number' ? formatFullTime(t) : '')}
            contentStyle={{ background: dark ? '#0f172a' : '#fff', fontSize: 12 }}
          />
          {shown.map((level) => (
            <Bar
              key={level}
              dataKey={level}
              name={LEVEL_STYLE[level].text}
              stackId="level"
              fill={LEVEL_STYLE[level].chart[dark ? 1 : 0]}
              isAnimationActive={false}
              cursor="zoom-in"
              onClick={(d: { payload?: { t?: number } }) => {
                const t = d.payload?.t;
                if (t !== undefined) onNarrow(t * 1000, (t + stepSeconds) * 1000);
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      {total === 0 ? (
        <p className="text-xs">No lines in this window.</p>
      ) : (
        <p className="text-xs">{shown.map((l) => LEVEL_STYLE[l].text).join(', ')} · click a bar to look at that stretch only</p>
      )}
    </div>
  );
});
