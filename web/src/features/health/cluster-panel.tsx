import { memo, useMemo } from 'react';

import type { HealthPanel, HealthWindow } from '@fleetdeck/shared';

import { ChartLegend } from '../../components/chart-legend.tsx';
import { TimeSeriesChart } from '../../components/chart-time-series.tsx';
import { useToggleSet } from '../../components/use-toggle-set.ts';
import { clusterChart, timeDomain } from './chart-data.ts';
import { formatTick, formatValue, unitDomain } from './format-unit.ts';
import { PanelHelp } from './panel-help.tsx';
import { PanelNotes } from './panel-notes.tsx';
import { clusterSummary } from './panel-summary.ts';

/** One panel of one cluster: its latest value as text, its chart (named by its summary), or why it has no data. */
function ClusterPanelView({ panel, window, over }: { panel: HealthPanel; window: HealthWindow; over: string }) {
  const [hidden, toggle] = useToggleSet();
  const formatters = useMemo(
    () => ({ value: (v: number) => formatValue(panel.unit, v), tick: (v: number) => formatTick(panel.unit, v) }),
    [panel.unit],
  );
  const chart = useMemo(() => clusterChart(panel.series), [panel.series]);
  const latest = panel.series[0]?.samples.at(-1)?.[1];
  const hasData = chart.rows.length > 0;
  return (
    <figure
      className="min-w-0"
      data-testid={`panel-${panel.id}`}
      data-state={panel.errors.length > 0 ? (hasData ? 'partial' : 'error') : hasData ? 'ok' : 'empty'}
      data-window={`${window.from}/${window.to}`}
    >
      <figcaption className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{panel.title}</span>
        <span className="tabular-nums">{latest === undefined ? 'no data' : formatValue(panel.unit, latest)}</span>
      </figcaption>
      <PanelNotes errors={panel.errors} warnings={panel.warnings ?? []} />
      {hasData ? (
        <>
          <TimeSeriesChart
            rows={chart.rows}
            series={chart.series}
            hidden={hidden}
            timeDomain={timeDomain(window)}
            yDomain={unitDomain(panel.unit)}
            integerTicks={panel.unit === 'count'}
            formatValue={formatters.value}
            formatTick={formatters.tick}
            label={clusterSummary(panel, over)}
            height={140}
          />
          {chart.series.length > 1 && (
            <ChartLegend label={`${panel.title}: series shown`} series={chart.series} hidden={hidden} onToggle={toggle} />
          )}
        </>
      ) : (
        panel.errors.length === 0 && <p className="text-xs text-slate-600 dark:text-slate-300">No samples in this range.</p>
      )}
      <PanelHelp help={panel.help} />
    </figure>
  );
}

/** Memoised: a refetch that leaves a panel's data unchanged (react-query keeps its identity) does not redraw its chart. */
export const ClusterPanel = memo(ClusterPanelView);
