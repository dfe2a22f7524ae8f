/** What recharts hands a custom axis tick (the parts we draw with). */
export interface TickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit';
  verticalAnchor?: 'start' | 'middle' | 'end';
  fill?: string;
  className?: string;
  payload?: { value: number };
  index?: number;
}

// The offsets recharts' own <Text> uses for each vertical anchor (cap height ≈ 0.71 em).
const DY = { start: '0.71em', middle: '0.355em', end: '0' } as const;

/**
 * An axis tick label as one plain SVG <text>. recharts' default <Text> measures every
 * label's width in the DOM (for word wrapping our one-word labels never need), which was
 * a measurable part of redrawing nine panels on a range change.
 */
export function plainTick(format: (v: number) => string, fontSize: number) {
  return function PlainTick({ x, y, textAnchor, verticalAnchor = 'middle', fill, className, payload }: TickProps) {
    if (!payload) return <g />;
    return (
      <text x={x} y={y} dy={DY[verticalAnchor]} textAnchor={textAnchor} fill={fill} fontSize={fontSize} className={className}>
        {format(payload.value)}
      </text>
    );
  };
}
