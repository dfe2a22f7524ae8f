import { memo, useMemo } from 'react';

import type { FleetHealthPanel } from '@fleetdeck/shared';

import { ChartLegend } from '../../components/chart-legend.tsx';
import { TimeSeriesChart } from '../../components/chart-time-series.tsx';
import { useToggleSet } from '../../components/use-toggle-set.ts';
import { fleetChart, timeDomain } from './chart-data.ts';
import { formatTick, formatValue, unitDomain } from './format-unit.ts';
import { PanelHelp } from './panel-help.tsx';
import { PanelNotes } from './panel-notes.tsx';
import { fleetSummary } from './panel-summary.ts';
import { PanelTable } from './panel-table.tsx';

/**
 * One fleet panel: the spread across clusters (p50–p95 band, median) with the worst
 * clusters as lines, a legend that filters, the latest value of every cluster as a
 * sortable table, and the panel's own errors and warnings. A panel with an error still
 * shows what data it has; the other panels are unaffected.
 */
function FleetPanelView({ panel, window, over }: { panel: FleetHealthPanel; window: { from: string; to: string }; over: string }) {
  const { def } = panel;
  const [hidden, toggle] = useToggleSet();
  const formatters = useMemo(
    () => ({ value: (v: number) => formatValue(def.unit, v), tick: (v: number) => formatTick(def.unit, v) }),
    [def.unit],
  );
  const chart = useMemo(() => fleetChart(panel), [panel]);
  const summary = useMemo(() => fleetSummary(panel, over), [panel, over]);
  const hasData = panel.band.length > 0 || panel.worst.length > 0 || panel.tableSize > 0;
  const state = panel.errors.length > 0 ? (hasData ? 'partial' : 'error') : hasData ? 'ok' : 'empty';
  const titleId = `panel-${def.id}-title`;
  return (
    <section
      aria-labelledby={titleId}
      data-testid={`panel-${def.id}`}
      data-state={state}
      data-window={`${window.from}/${window.to}`}
      className="min-w-0 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
    >
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={titleId} className="font-semibold">
          {def.title}
        </h2>
        <PanelHelp help={def.help} source={def.source} query={def.query} />
      </div>
      <PanelNotes errors={panel.errors} warnings={panel.warnings} />
      {state === 'empty' && <p className="text-sm text-slate-600 dark:text-slate-300">No data in this range.</p>}
      {hasData && (
        <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="min-w-0 space-y-2">
            <TimeSeriesChart
              rows={chart.rows}
              series={chart.series}
              hidden={hidden}
              timeDomain={timeDomain(window)}
              yDomain={unitDomain(def.unit)}
              integerTicks={def.unit === 'count'}
              formatValue={formatters.value}
              formatTick={formatters.tick}
              label={summary}
            />
            <ChartLegend label={`${def.title}: series shown`} series={chart.series} hidden={hidden} onToggle={toggle} />
            <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="panel-summary">
              {summary}
            </p>
          </div>
          <PanelTable panel={panel} window={window} />
        </div>
      )}
    </section>
  );
}

/** Memoised: a refetch that leaves a panel's data unchanged (react-query keeps its identity) does not redraw its chart. */
export const FleetPanel = memo(FleetPanelView);
