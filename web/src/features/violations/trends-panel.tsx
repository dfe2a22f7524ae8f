import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { ViolationTrendRange } from '@fleetdeck/shared';

import { violationsTrendsQuery } from '../../api/queries.ts';
import { ChartLegend } from '../../components/chart-legend.tsx';
import { TimeSeriesChart } from '../../components/chart-time-series.tsx';
import { QuerySection } from '../../components/query-section.tsx';
import { latestValues, trendChart } from './trend-chart-data.ts';

const pill = (on: boolean) =>
  `rounded border px-2 py-0.5 text-xs ${on ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`;

type Range = (typeof ViolationTrendRange.options)[number];

/**
 * Violation counts over time from Prometheus (Gatekeeper's and Policy Reporter's gauges).
 * Its failures and warnings stay on this panel: the rest of the page does not depend on it.
 */
export function TrendsPanel({ range, onRange }: { range: Range; onRange: (range: Range) => void }) {
  const query = useQuery({ ...violationsTrendsQuery(range), placeholderData: (previous) => previous });
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  return (
    <QuerySection
      id="violation-trends"
      title="Trend"
      query={query}
      loadingLabel="Asking Prometheus…"
      errorTitle="Trends could not be loaded"
      notFoundIsNote={false}
      actions={
        <div role="group" aria-label="Trend range" className="ml-auto flex gap-1">
          {ViolationTrendRange.options.map((r) => (
            <button key={r} type="button" aria-pressed={r === range} onClick={() => onRange(r)} className={pill(r === range)}>
              {r}
            </button>
          ))}
        </div>
      }
      partialErrors={(d) => d.errors}
    >
      {(data) => {
        const chart = trendChart(data);
        return (
          <div className="space-y-2">
            {data.warnings.length > 0 && (
              <ul aria-label="Notes on these trends" className="text-sm text-slate-700 dark:text-slate-300" data-testid="trend-warnings">
                {data.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            )}
            {chart.rows.length === 0 ? (
              <p className="text-sm">No violation metrics over this range.</p>
            ) : (
              <>
                <ChartLegend label="Trend series" series={chart.series} hidden={hidden} onToggle={toggle} />
                <TimeSeriesChart
                  rows={chart.rows}
                  series={chart.series}
                  hidden={hidden}
                  timeDomain={chart.domain}
                  formatValue={(v) => v.toLocaleString('en')}
                  formatTick={(v) => v.toLocaleString('en')}
                  label={`Violations over the last ${data.range}: ${latestValues(data)}`}
                />
              </>
            )}
          </div>
        );
      }}
    </QuerySection>
  );
}
