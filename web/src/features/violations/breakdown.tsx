import type { ViolationSummary } from '@fleetdeck/shared';

import { ENGINE_LABEL, SEVERITY_CLASS } from './labels.ts';

/** Severity and engine breakdown as counts in words, each with a bar for the eye (the number is the fact). */
export function Breakdown({ summary }: { summary: ViolationSummary }) {
  const max = Math.max(1, ...summary.bySeverity.map((s) => s.count), ...summary.byEngine.map((e) => e.count));
  const bar = (n: number) => `${Math.round((n / max) * 100)}%`;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <section aria-labelledby="breakdown-severity">
        <h3 id="breakdown-severity" className="mb-1 text-xs font-medium uppercase text-slate-600 dark:text-slate-300">
          By severity
        </h3>
        <dl className="space-y-1 text-sm">
          {summary.bySeverity.map((s) => (
            <div key={s.severity} className="grid grid-cols-[6rem_4rem_1fr] items-center gap-2">
              <dt className={`rounded px-1.5 text-xs font-medium ${SEVERITY_CLASS[s.severity]}`}>{s.severity}</dt>
              <dd className="text-right tabular-nums">{s.count.toLocaleString('en')}</dd>
              <dd aria-hidden className="h-2 rounded bg-slate-400 dark:bg-slate-500" style={{ width: bar(s.count) }} />
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="breakdown-engine">
        <h3 id="breakdown-engine" className="mb-1 text-xs font-medium uppercase text-slate-600 dark:text-slate-300">
          By engine
        </h3>
        <dl className="space-y-1 text-sm">
          {summary.byEngine.map((e) => (
            <div key={e.engine} className="grid grid-cols-[6rem_4rem_1fr] items-center gap-2">
              <dt className="text-xs font-medium">{ENGINE_LABEL[e.engine]}</dt>
              <dd className="text-right tabular-nums">{e.count.toLocaleString('en')}</dd>
              <dd aria-hidden className="h-2 rounded bg-teal-600 dark:bg-teal-500" style={{ width: bar(e.count) }} />
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
