import { useLocation } from '@tanstack/react-router';
import { ShieldCheck } from 'lucide-react';

import { stepUpLoginUrl } from './approve-request.ts';

/**
 * The BFF wants a multi-factor sign-in first: a link through the sign-in and back to this
 * very page. `ahead`: said before any attempt (the policy needs it and this sign-in had
 * none), so it is a note, not an alert.
 */
export function StepUpNote({ ahead = false }: { ahead?: boolean }) {
  const here = useLocation({ select: (l) => l.href });
  return (
    <div
      role={ahead ? 'note' : 'alert'}
      data-testid={ahead ? 'step-up-ahead' : 'step-up-required'}
      className="flex flex-wrap items-center gap-3 rounded border border-amber-500 bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50"
    >
      <ShieldCheck aria-hidden className="size-4 shrink-0" />
      <span>
        Approving this wave needs a multi-factor sign-in{ahead ? '; you signed in without one' : ''}. Sign in again, then approve.
      </span>
      <a href={stepUpLoginUrl(here)} className="rounded bg-teal-700 px-3 py-1 font-medium text-white hover:bg-teal-800">
        Sign in with multi-factor
      </a>
    </div>
  );
}
