import type { HealthRange } from '@fleetdeck/shared';

const RANGES: HealthRange[] = ['1h', '6h', '24h'];

/** The time range of the health panels, as toggle buttons. */
export function RangePicker({ range, onChange }: { range: HealthRange; onChange: (range: HealthRange) => void }) {
  return (
    <div role="group" aria-label="Time range" className="flex gap-1">
      {RANGES.map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={r === range}
          onClick={() => onChange(r)}
          className={`rounded border px-2 py-0.5 text-xs ${r === range ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`}
        >
          {r}
        </button>
      ))}
    </div>
  );
}
