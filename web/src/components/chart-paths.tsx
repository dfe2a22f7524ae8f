import { useId, useMemo } from 'react';
import { useActiveTooltipDataPoints, useActiveTooltipLabel, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

import { chartColor } from './chart-palette.ts';
import type { ChartRow, ChartSeries } from './chart-types.ts';

type Scale = (value: number) => number | undefined;

/**
 * One series as an SVG path through its points: a gap (a missing or non-finite value)
 * lifts the pen, as recharts' own lines do without `connectNulls`.
 */
export function seriesPath(rows: readonly ChartRow[], key: string, x: Scale, y: Scale): string {
  let d = '';
  let pen = false;
  for (const row of rows) {
    const v = row[key];
    const px = x(row.t);
    const py = typeof v === 'number' && Number.isFinite(v) ? y(v) : undefined;
    if (px === undefined || py === undefined) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${Math.round(px * 10) / 10},${Math.round(py * 10) / 10}`;
    pen = true;
  }
  return d;
}

/** A point's low and high edge in px, if the row has a finite [low, high] for `key`. */
function edges(row: ChartRow, key: string, x: Scale, y: Scale): [number, number, number] | undefined {
  const v = row[key];
  if (!Array.isArray(v)) return undefined;
  const [low, high] = v;
  if (!Number.isFinite(low) || !Number.isFinite(high)) return undefined;
  const px = x(row.t);
  const lo = y(low);
  const hi = y(high);
  return px === undefined || lo === undefined || hi === undefined ? undefined : [px, lo, hi];
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A band (rows holding [low, high]) as a filled SVG path: along the high edge, back along
 * the low one, closed. A gap ends one shape and starts the next, as an area does without `connectNulls`.
 */
export function bandPath(rows: readonly ChartRow[], key: string, x: Scale, y: Scale): string {
  let d = '';
  let run: [number, number, number][] = [];
  const close = () => {
    if (run.length > 0) {
      d += run.map(([px, , hi], i) => `${i === 0 ? 'M' : 'L'}${r1(px)},${r1(hi)}`).join('');
      for (let i = run.length - 1; i >= 0; i--) d += `L${r1(run[i]![0])},${r1(run[i]![1])}`;
      d += 'Z';
    }
    run = [];
  };
  for (const row of rows) {
    const e = edges(row, key, x, y);
    if (e) run.push(e);
    else close();
  }
  close();
  return d;
}

/**
 * Bands, plain and median lines drawn with the chart's own scales, clipped to its plot area.
 * recharts registers every <Line> in its store and works out per-point label, dot and
 * tooltip data for it, and measures each line's SVG length on every render (for an
 * animation we have off); nine fleet panels with a median and five worst clusters each
 * spent most of a range change's redraw there. Its <Area> likewise works out points, a
 * curve, label lists and a clip for the band; drawing the band here too took a range change
 * over the nine panels from about 205–215 to 170–200 ms p50 (Chromium, 1,000 clusters). None
 * of it is needed: the tooltip finds the hovered row by time, so all are drawn here.
 */
export function SeriesPaths({ rows, series, dark }: { rows: readonly ChartRow[]; series: readonly ChartSeries[]; dark: boolean }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  const clipId = useId();
  const paths = useMemo(
    () => (x && y ? series.map((s) => (s.kind === 'band' ? bandPath : seriesPath)(rows, s.key, x, y)) : []),
    [rows, series, x, y],
  );
  if (!x || !y || !area) return null;
  return (
    <g className="series-paths">
      <clipPath id={clipId}>
        <rect x={area.x} y={area.y} width={area.width} height={area.height} />
      </clipPath>
      {series.map((s, i) => {
        const color = chartColor(s.color, dark);
        // A band is filled, a line stroked (the median dashed).
        const look =
          s.kind === 'band'
            ? { stroke: 'none', fill: color, fillOpacity: dark ? 0.3 : 0.2 }
            : {
                fill: 'none',
                stroke: color,
                strokeWidth: s.kind === 'median' ? 2 : 1.5,
                strokeDasharray: s.kind === 'median' ? '5 3' : undefined,
                strokeLinejoin: 'round' as const,
              };
        return <path key={s.key} data-series={s.key} className={`series-${s.key}`} d={paths[i]} clipPath={`url(#${clipId})`} {...look} />;
      })}
      <ActiveDots rows={rows} series={series.filter((s) => s.kind !== 'band')} dark={dark} x={x} y={y} />
    </g>
  );
}

/** The row at time `t` (rows are sorted by time), or undefined. */
export function rowAt(rows: readonly ChartRow[], t: unknown): ChartRow | undefined {
  const at = typeof t === 'string' && t !== '' ? Number(t) : t;
  if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const rt = rows[mid]!.t;
    if (rt === at) return rows[mid];
    if (rt < at) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Hovering: a dot on each line at the hovered time, as recharts draws on its own lines. Its own component, so only it redraws on hover. */
function ActiveDots({
  rows,
  series,
  dark,
  x,
  y,
}: {
  rows: readonly ChartRow[];
  series: readonly ChartSeries[];
  dark: boolean;
  x: Scale;
  y: Scale;
}) {
  const points = useActiveTooltipDataPoints<ChartRow>();
  const label = useActiveTooltipLabel();
  const row = points?.[0] ?? rowAt(rows, label);
  if (!row) return null;
  const cx = x(row.t);
  if (cx === undefined) return null;
  return (
    <g className="series-active-dots">
      {series.map((s) => {
        const v = row[s.key];
        const cy = typeof v === 'number' && Number.isFinite(v) ? y(v) : undefined;
        return cy === undefined ? null : (
          <circle key={s.key} cx={cx} cy={cy} r={4} fill={chartColor(s.color, dark)} stroke="#fff" strokeWidth={2} />
        );
      })}
    </g>
  );
}
