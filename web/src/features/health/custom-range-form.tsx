import { useId, useState } from 'react';

import { HEALTH_RANGE_SECONDS } from '@fleetdeck/shared';

import { customRangeProblem, fromLocalInput, toLocalInput, type HealthView } from './health-window.ts';

/** The window a custom form opens with: the one shown now. */
function initial(view: HealthView): { from: string; to: string } {
  if (view.kind === 'custom') return { from: toLocalInput(view.from), to: toLocalInput(view.to) };
  const to = Date.now();
  return {
    from: toLocalInput(new Date(to - HEALTH_RANGE_SECONDS[view.range] * 1000).toISOString()),
    to: toLocalInput(new Date(to).toISOString()),
  };
}

/** A custom from/to in the person's local time, checked before it reaches the URL. */
export function CustomRangeForm({ view, onApply }: { view: HealthView; onApply: (view: HealthView) => void }) {
  const id = useId();
  const [open, setOpen] = useState(view.kind === 'custom');
  const [values, setValues] = useState(() => initial(view));
  const [problem, setProblem] = useState<string | undefined>();
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => {
          setValues(initial(view));
          setOpen(true);
        }}
        className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
      >
        Custom…
      </button>
    );
  }
  const apply = () => {
    const from = fromLocalInput(values.from);
    const to = fromLocalInput(values.to);
    const why = from === undefined || to === undefined ? 'Give both a start and an end time.' : customRangeProblem(from, to);
    setProblem(why);
    if (why === undefined && from !== undefined && to !== undefined) onApply({ kind: 'custom', from, to });
  };
  const input =
    'rounded border border-slate-300 bg-white px-1 py-0.5 text-xs dark:border-slate-600 dark:bg-slate-900 aria-[invalid=true]:border-red-600';
  return (
    <form
      aria-label="Custom time range"
      className="flex flex-wrap items-center gap-1 text-xs"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label htmlFor={`${id}-from`}>From</label>
      <input
        id={`${id}-from`}
        type="datetime-local"
        value={values.from}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => setValues({ ...values, from: e.target.value })}
        className={input}
      />
      <label htmlFor={`${id}-to`}>to</label>
      <input
        id={`${id}-to`}
        type="datetime-local"
        value={values.to}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => setValues({ ...values, to: e.target.value })}
        className={input}
      />
      <button type="submit" className="rounded border border-teal-700 bg-teal-700 px-2 py-0.5 text-white hover:bg-teal-800">
        Apply
      </button>
      <button
        type="button"
        onClick={() => setOpen(false)}
        className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
      >
        Close
      </button>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="w-full text-red-800 dark:text-red-300">
          {problem}
        </p>
      )}
    </form>
  );
}
