import type { ViolationAction, ViolationEngine, ViolationSeverity } from '@fleetdeck/shared';

export const ENGINE_LABEL: Record<ViolationEngine, string> = { gatekeeper: 'Gatekeeper', kyverno: 'Kyverno' };

/** Severity reads as its word; the colour only repeats it. */
export const SEVERITY_CLASS: Record<ViolationSeverity, string> = {
  critical: 'bg-red-700 text-white dark:bg-red-600',
  high: 'bg-orange-200 text-orange-950 dark:bg-orange-900 dark:text-orange-50',
  medium: 'bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-100',
  low: 'bg-sky-100 text-sky-950 dark:bg-sky-950 dark:text-sky-100',
  info: 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100',
  unknown: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
};

export const ACTION_LABEL: Record<ViolationAction, string> = {
  deny: 'deny',
  warn: 'warn',
  dryrun: 'dry run',
  audit: 'audit',
  unknown: 'unknown',
};
