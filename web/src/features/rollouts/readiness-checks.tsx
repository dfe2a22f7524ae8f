import type { ReadinessCheckResult } from '@fleetdeck/shared';
import { EyeOff } from 'lucide-react';

import { AppLink } from './app-link.tsx';
import { ADVISORY_FAIL, CHECK_STATUS, SEVERITY } from './readiness-look.ts';
import { hiddenText } from './source-label.ts';
import { StateLabel } from './state-label.tsx';

// Always underlined (a hovered link must still read as a link inside text).
const LINK = 'text-teal-800 underline decoration-1 hover:decoration-2 dark:text-teal-300';

/** One row per check: what, blocking or advisory, its status by text and icon, the figure, the evidence. */
export function ReadinessChecks({ checks }: { checks: readonly ReadinessCheckResult[] }) {
  if (checks.length === 0) return <p className="text-sm">No readiness checks are configured for this wave.</p>;
  return (
    <table className="w-full text-left text-sm" data-testid="readiness-checks">
      <caption className="sr-only">Readiness checks</caption>
      <thead className="text-xs uppercase text-slate-600 dark:text-slate-300">
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Status</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => (
          <CheckRow key={c.id} check={c} />
        ))}
      </tbody>
    </table>
  );
}

function CheckRow({ check }: { check: ReadinessCheckResult }) {
  const severity = SEVERITY[check.severity];
  const look = check.status === 'fail' && check.severity === 'advisory' ? ADVISORY_FAIL : CHECK_STATUS[check.status];
  const SeverityIcon = severity.icon;
  return (
    <tr
      data-testid="readiness-check"
      data-check={check.id}
      data-status={check.status}
      className="border-t border-slate-100 align-top dark:border-slate-800"
    >
      <th scope="row" className="py-1 pr-2 font-medium">
        {check.title}
        <span
          className="ml-1 inline-flex items-center gap-0.5 text-xs font-normal text-slate-600 dark:text-slate-400"
          title={severity.hint}
        >
          <SeverityIcon aria-hidden className="size-3" />
          {severity.text}
        </span>
      </th>
      <td className="pr-2">
        <StateLabel look={look} />
      </td>
      <td>
        <p>{check.summary}</p>
        {check.hiddenFailing > 0 && (
          <p className="inline-flex items-center gap-1 text-xs">
            <EyeOff aria-hidden className="size-3" />
            Also failing: {hiddenText(check.hiddenFailing)}
          </p>
        )}
        {check.clusters.some((c) => c.status !== 'pass') && (
          <p className="text-xs text-slate-700 dark:text-slate-300">
            {check.clusters
              .filter((c) => c.status !== 'pass')
              .map(
                (c) =>
                  `${c.cluster} (${CHECK_STATUS[c.status].text.toLowerCase()}${c.value === undefined ? '' : `: ${formatValue(c.value)}`})`,
              )
              .join(', ')}
          </p>
        )}
        {check.evidence.length > 0 && (
          <p className="flex flex-wrap gap-x-3 text-xs">
            {check.evidence.map((e) => (
              <AppLink key={e.href} href={e.href} className={LINK}>
                {e.label}
              </AppLink>
            ))}
          </p>
        )}
      </td>
    </tr>
  );
}

/** Ratios as percentages (pod health), other figures as they are, rounded for reading. */
function formatValue(v: number): string {
  if (v >= 0 && v <= 1 && !Number.isInteger(v)) return `${(v * 100).toFixed(1)}%`;
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
