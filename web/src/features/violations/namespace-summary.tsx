import type { ViolationSummary } from '@fleetdeck/shared';

const COLS = ['pass', 'warn', 'fail', 'error', 'skip', 'violations'] as const;
const HEAD: Record<(typeof COLS)[number], string> = {
  pass: 'Pass',
  warn: 'Warn',
  fail: 'Fail',
  error: 'Error',
  skip: 'Skip',
  violations: 'Violations (both engines)',
};

/** Per namespace, Kyverno's pass/warn/fail/error/skip results and the violations of both engines; most violations first. */
export function NamespaceSummary({ rows }: { rows: ViolationSummary['byNamespace'] }) {
  const sorted = [...rows].sort((a, b) => b.violations - a.violations || b.fail - a.fail || a.namespace.localeCompare(b.namespace));
  // Focusable so the keyboard can scroll it (it holds nothing else to focus).
  return (
    <div role="region" aria-label="Results per namespace (scrolls)" tabIndex={0} className="max-h-80 overflow-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Results per namespace</caption>
        <thead className="sticky top-0 bg-white text-xs uppercase text-slate-600 dark:bg-slate-950 dark:text-slate-300">
          <tr>
            <th scope="col">Cluster</th>
            <th scope="col">Namespace</th>
            {COLS.map((c) => (
              <th key={c} scope="col" className="text-right">
                {HEAD[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={`${r.cluster}/${r.namespace}`} className="border-t border-slate-100 dark:border-slate-800">
              <td>{r.cluster}</td>
              <th scope="row" className="font-mono font-normal">
                {r.namespace}
              </th>
              {COLS.map((c) => (
                <td
                  key={c}
                  className={`text-right tabular-nums ${c === 'fail' && r.fail > 0 ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}
                >
                  {r[c].toLocaleString('en')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
