import type { WaveReadiness } from '@fleetdeck/shared';
import { AlertTriangle, EyeOff } from 'lucide-react';

import { RelativeTime } from '../../components/relative-time.tsx';
import { AppLink } from './app-link.tsx';
import { ReadinessChecks } from './readiness-checks.tsx';
import { VERDICT } from './readiness-look.ts';
import { failureThresholdText, reasonsWithEvidence } from './readiness-reasons.ts';
import { TONE_CELL } from './rollout-states.ts';
import { hiddenText } from './source-label.ts';
import { IntroducedViolations } from './readiness-violations.tsx';

// Always underlined (a hovered link must still read as a link inside text).
const LINK = 'text-teal-800 underline decoration-1 hover:decoration-2 dark:text-teal-300';

/** One wave's readiness: the verdict with its reasons (each linking to its evidence), then how it was reached. */
export function ReadinessView({ readiness }: { readiness: WaveReadiness }) {
  const look = VERDICT[readiness.verdict];
  const Icon = look.icon;
  const reasons = reasonsWithEvidence(readiness);
  return (
    <div className="space-y-3" data-testid="readiness" data-verdict={readiness.verdict}>
      <div className={`rounded border-l-4 px-3 py-2 ${TONE_CELL[look.tone]}`}>
        <p className="flex items-center gap-2 font-semibold" data-testid="readiness-verdict">
          <Icon aria-hidden className="size-5 shrink-0" />
          {readiness.verdict === 'Ready' ? 'Ready' : `${look.text}${reasons.length > 0 ? ', because' : ''}`}
        </p>
        {reasons.length > 0 && (
          <ul className="mt-1 list-disc space-y-0.5 pl-6 text-sm" aria-label="Reasons" data-testid="readiness-reasons">
            {reasons.map(({ reason, evidence }) => (
              <li key={reason}>
                {reason}
                {evidence.map((e) => (
                  <span key={e.href}>
                    {' — '}
                    <AppLink href={e.href} className={LINK}>
                      {e.label}
                    </AppLink>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </div>
      <ul className="space-y-0.5 text-sm">
        <li>
          <span className="font-medium">Failure threshold:</span> {failureThresholdText(readiness.failureThreshold)}
        </li>
        <li>
          <span className="font-medium">Success threshold:</span> {Math.round(readiness.successThreshold * 1000) / 10}% of pods healthy
        </li>
        {readiness.hiddenClusters > 0 && (
          <li className="inline-flex items-center gap-1">
            <EyeOff aria-hidden className="size-3.5" />
            Also judged: {hiddenText(readiness.hiddenClusters)} (counted, not named)
          </li>
        )}
      </ul>
      <ReadinessChecks checks={readiness.checks} />
      <IntroducedViolations introduced={readiness.introducedViolations} />
      {readiness.errors.length > 0 && (
        <p role="status" className="flex items-center gap-2 text-sm text-amber-900 dark:text-amber-200">
          <AlertTriangle aria-hidden className="size-4" />
          Partly unavailable: {readiness.errors.map((e) => `${e.source}: ${e.reason}`).join('; ')}
        </p>
      )}
      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="readiness-evaluated">
        Evaluated <RelativeTime iso={readiness.evaluatedAt} />
        {readiness.windowStart && (
          <>
            {' '}
            over the wave&apos;s window from <RelativeTime iso={readiness.windowStart} /> to <RelativeTime iso={readiness.windowEnd} />
          </>
        )}
      </p>
    </div>
  );
}
