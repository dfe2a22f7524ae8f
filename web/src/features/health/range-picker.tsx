import { HealthRange } from '@fleetdeck/shared';

import { CustomRangeForm } from './custom-range-form.tsx';
import type { HealthView } from './health-window.ts';

const pill = (on: boolean) =>
  `rounded border px-2 py-0.5 text-xs ${on ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800'}`;

/** The health time range: presets ending now (toggle buttons) or a custom from/to. */
export function RangePicker({ view, onChange }: { view: HealthView; onChange: (view: HealthView) => void }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Time range" className="flex gap-1">
        {HealthRange.options.map((r) => {
          const on = view.kind === 'preset' && view.range === r;
          return (
            <button key={r} type="button" aria-pressed={on} onClick={() => onChange({ kind: 'preset', range: r })} className={pill(on)}>
              {r}
            </button>
          );
        })}
      </div>
      <CustomRangeForm view={view} onApply={onChange} />
    </div>
  );
}
