import type { ClusterState, SyncState } from '@fleetdeck/shared';
import { CheckCircle2, CircleHelp, GitCompareArrows, Loader2, LogOut, XCircle, type LucideIcon } from 'lucide-react';

const STATE: Record<ClusterState, { icon: LucideIcon; text: string; className: string }> = {
  Ready: { icon: CheckCircle2, text: 'Ready', className: 'text-emerald-700 dark:text-emerald-400' },
  NotReady: { icon: XCircle, text: 'Not ready', className: 'text-red-700 dark:text-red-400' },
  Joining: { icon: Loader2, text: 'Joining', className: 'text-sky-700 dark:text-sky-400' },
  Leaving: { icon: LogOut, text: 'Leaving', className: 'text-slate-600 dark:text-slate-300' },
  Unknown: { icon: CircleHelp, text: 'Unknown', className: 'text-amber-700 dark:text-amber-400' },
};

/** Status by icon and text as well as colour, so it reads without colour vision. */
export function ClusterStateBadge({ state }: { state: ClusterState }) {
  const { icon: Icon, text, className } = STATE[state];
  return (
    <span className={`inline-flex items-center gap-1 text-sm font-medium ${className}`}>
      <Icon aria-hidden className="size-4" />
      {text}
    </span>
  );
}

export function SyncBadge({ state, drifted }: { state: SyncState; drifted: number }) {
  if (state === 'InSync') return <span className="text-sm text-slate-600 dark:text-slate-300">In sync</span>;
  if (state === 'Unknown') return <span className="text-sm text-amber-700 dark:text-amber-400">Sync unknown</span>;
  return (
    <span className="inline-flex items-center gap-1 text-sm font-medium text-orange-700 dark:text-orange-400">
      <GitCompareArrows aria-hidden className="size-4" />
      Drifted ({drifted})
    </span>
  );
}
