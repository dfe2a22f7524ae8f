import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

/** recharts' defaults for an axis: tick line length and the gap between it and its label. */
const TICK_SIZE = 6;
const TICK_MARGIN = 2;
/** The room left beside the plot for the axes' labels (recharts' YAxis width / XAxis height). */
export const AXES_MARGIN = { left: 72, bottom: 30 } as const;
/** Space kept between two time labels, px. */
const LABEL_GAP = 8;

/** A label's width in px, estimated (no DOM measuring: see ChartAxes): digits and capitals at ~0.6 em. */
export const labelWidth = (text: string, fontSize: number): number => text.length * fontSize * 0.6;

/**
 * Which time labels to show: every k-th, with the smallest k whose neighbours do not
 * overlap (a narrow chart on the cluster page shows every other hour, not a smear), and
 * none that would run past the chart's edges.
 */
export function fittingLabels(labels: readonly { px: number; width: number }[], edges: { left: number; right: number }): boolean[] {
  const inside = labels.map((l) => l.px - l.width / 2 >= edges.left && l.px + l.width / 2 <= edges.right);
  const fits = (k: number) => {
    for (let i = 0; i + k < labels.length; i += k) {
      const a = labels[i]!;
      const b = labels[i + k]!;
      if (b.px - a.px < (a.width + b.width) / 2 + LABEL_GAP) return false;
    }
    return true;
  };
  let k = 1;
  while (k < labels.length && !fits(k)) k++;
  return labels.map((_, i) => i % k === 0 && inside[i]!);
}

/**
 * The chart's horizontal grid and both axes (lines, ticks, labels), drawn as plain SVG on
 * the chart's own scales. recharts' axes render each tick through its own components and,
 * after every render, report the ticks back to the chart's store, which runs its selectors
 * again; its grid reads the ticks through more selectors. With the median drawn as a path
 * too (chart-paths.tsx), a range change over nine fleet panels went from 198 to 149 ms of
 * renderer CPU (Chromium profile, 25 changes). The axes stay declared in the chart, hidden,
 * so recharts still builds the scales from their domains.
 */
export function ChartAxes({
  xTicks,
  yTicks,
  formatX,
  formatY,
  marginRight,
  fontSize = 11,
}: {
  xTicks: readonly number[];
  yTicks: readonly number[];
  formatX: (v: number) => string;
  formatY: (v: number) => string;
  /** The chart's right margin: how far past the plot a time label may reach. */
  marginRight: number;
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
  const placed = xTicks.flatMap((v) => {
    const px = x(v);
    if (px === undefined || px < left - 0.5 || px > right + 0.5) return [];
    const text = formatX(v);
    return [{ v, px, text, width: labelWidth(text, fontSize) }];
  });
  const shown = fittingLabels(placed, { left: left - AXES_MARGIN.left, right: right + marginRight });
  const xs = placed.filter((_, i) => shown[i]);
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
      {xs.map(({ v, px, text }) => (
        <g key={v}>
          <line x1={px} x2={px} y1={bottom} y2={bottom + TICK_SIZE} />
          <text x={px} y={bottom + TICK_SIZE + TICK_MARGIN} dy="0.71em" textAnchor="middle" stroke="none">
            {text}
          </text>
        </g>
      ))}
    </g>
  );
}
