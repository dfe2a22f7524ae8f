import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A small time-series chart (uPlot); the numbers are also given as text by the caller. */
export function Sparkline({ samples, label, max }: { samples: [number, number][]; label: string; max?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || samples.length === 0) return;
    const color = getComputedStyle(el).color;
    const plot = new uPlot(
      {
        width: el.clientWidth || 280,
        height: 90,
        legend: { show: false },
        cursor: { show: true, y: false },
        scales: { x: { time: true }, y: max === undefined ? {} : { range: [0, max] } },
        axes: [
          { stroke: color, grid: { show: false }, ticks: { show: false }, size: 36, font: '10px sans-serif' },
          { stroke: color, grid: { stroke: 'rgba(127,127,127,0.2)' }, size: 40, font: '10px sans-serif' },
        ],
        series: [{}, { stroke: '#0f766e', width: 1.5, fill: 'rgba(15,118,110,0.12)', points: { show: false } }],
      },
      [samples.map((s) => s[0]), samples.map((s) => s[1])],
      el,
    );
    return () => plot.destroy();
  }, [samples, max]);
  return <div ref={ref} role="img" aria-label={label} className="text-slate-600 dark:text-slate-300" />;
}
