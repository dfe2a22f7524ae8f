import { CircleAlert, CircleCheck, CircleDashed, CircleX, Eye, type LucideIcon } from 'lucide-react';

import type { NamespaceIsolation, PolicyCoverage } from '@fleetdeck/shared';

type CoverageState = PolicyCoverage['state'];
type IsolationState = NamespaceIsolation['state'];

interface Look {
  text: string;
  icon: LucideIcon;
  className: string;
}

/** Each state says itself in words, with an icon and a colour that only repeat the words. */
export const COVERAGE: Record<CoverageState, Look> = {
  enforced: { text: 'enforced', icon: CircleCheck, className: 'text-emerald-800 dark:text-emerald-300' },
  audited: { text: 'audited only', icon: Eye, className: 'text-sky-800 dark:text-sky-300' },
  notReady: { text: 'not ready', icon: CircleDashed, className: 'text-amber-800 dark:text-amber-300' },
  missing: { text: 'missing', icon: CircleX, className: 'font-semibold text-red-800 dark:text-red-300' },
};

export const ISOLATION: Record<IsolationState, Look> = {
  isolated: { text: 'isolated', icon: CircleCheck, className: 'text-emerald-800 dark:text-emerald-300' },
  wider: { text: 'wider', icon: CircleAlert, className: 'font-semibold text-amber-800 dark:text-amber-300' },
  missing: { text: 'missing', icon: CircleX, className: 'font-semibold text-red-800 dark:text-red-300' },
};

export function StateText({ look }: { look: Look }) {
  const Icon = look.icon;
  return (
    <span className={`inline-flex items-center gap-1 ${look.className}`}>
      <Icon aria-hidden className="size-4 shrink-0" />
      {look.text}
    </span>
  );
}
