import type { HealthPanel, HealthRange } from '@fleetdeck/shared';

import { Sparkline } from '../../components/sparkline.tsx';
import { formatValue } from './format-value.ts';

/** One health panel: its latest value as text, a sparkline (described in words), or why it has no data. */
export function HealthPanelFigure({ panel, range }: { panel: HealthPanel; range: HealthRange }) {
  const samples = panel.series[0]?.samples ?? [];
  const values = samples.map((s) => s[1]);
  const latest = values.at(-1);
  return (
    <figure className="min-w-0" data-testid={`panel-${panel.id}`}>
      <figcaption className="flex items-baseline justify-between text-sm">
        <span className="font-medium">{panel.title}</span>
        <span className="tabular-nums">{latest === undefined ? 'no data' : formatValue(panel.unit, latest)}</span>
      </figcaption>
      {latest !== undefined ? (
        <Sparkline
          samples={samples}
          max={panel.unit === 'ratio' || panel.unit === 'bool' ? 1 : undefined}
          label={`${panel.title} over ${range}: now ${formatValue(panel.unit, latest)}, min ${formatValue(panel.unit, Math.min(...values))}, max ${formatValue(panel.unit, Math.max(...values))}`}
        />
      ) : (
        <p className="text-xs text-slate-600 dark:text-slate-300">{panel.errors[0]?.reason ?? 'No samples in this range.'}</p>
      )}
    </figure>
  );
}
