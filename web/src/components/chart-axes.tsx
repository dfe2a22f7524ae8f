import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

/** recharts' defaults for an axis: tick line length and the gap between it and its label. */
const TICK_SIZE = 6;
const TICK_MARGIN = 2;
/** The room left beside the plot for the axes' labels (recharts' YAxis width / XAxis height). */
export const AXES_MARGIN = { left: 72, bottom: 30 } as const;

/**
 * The chart's horizontal grid and both axes (lines, ticks, labels), drawn as plain SVG on
 * the chart's own scales. recharts' axes render each tick through its own components and,
 * after every render, report the ticks back to the chart's store, which runs its selectors
 * again; its grid reads the ticks through more selectors. Across nine fleet panels that was
 * a fifth of a range change's script (Chromium profile, 25 changes). The axes stay declared
 * in the chart, hidden, so recharts still builds the scales from their domains.
 */
export function ChartAxes({
  xTicks,
  yTicks,
  formatX,
  formatY,
  fontSize = 11,
}: {
  xTicks: readonly number[];
  yTicks: readonly number[];
  formatX: (v: number) => string;
  formatY: (v: number) => string;
  fontSize?: number;
}) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  if (!x || !y || !area) return null;
  const left = area.x;
  const right = area.x + area.width;
  const bottom = area.y + area.height;
  const ys = yTicks.flatMap((v) => {
    const py = y(v);
    return py === undefined || py < area.y - 0.5 || py > bottom + 0.5 ? [] : [{ v, py }];
  });
  const xs = xTicks.flatMap((v) => {
    const px = x(v);
    return px === undefined || px < left - 0.5 || px > right + 0.5 ? [] : [{ v, px }];
  });
  return (
    <g className="chart-axes" stroke="currentColor" fill="currentColor" fontSize={fontSize}>
      <g strokeOpacity={0.15}>
        {ys.map(({ v, py }) => (
          <line key={v} x1={left} x2={right} y1={py} y2={py} />
        ))}
      </g>
      <line x1={left} x2={left} y1={area.y} y2={bottom} />
      <line x1={left} x2={right} y1={bottom} y2={bottom} />
      {ys.map(({ v, py }) => (
        <g key={v}>
          <line x1={left - TICK_SIZE} x2={left} y1={py} y2={py} />
          <text x={left - TICK_SIZE - TICK_MARGIN} y={py} dy="0.355em" textAnchor="end" stroke="none">
            {formatY(v)}
          </text>
        </g>
      ))}
      {xs.map(({ v, px }) => (
        <g key={v}>
          <line x1={px} x2={px} y1={bottom} y2={bottom + TICK_SIZE} />
          <text x={px} y={bottom + TICK_SIZE + TICK_MARGIN} dy="0.71em" textAnchor="middle" stroke="none">
            {formatX(v)}
          </text>
        </g>
      ))}
    </g>
  );
}
