import { EyeOff, Hand } from 'lucide-react';

import type { RolloutSummary } from '@fleetdeck/shared';

import { hiddenText } from './source-label.ts';

/** "Awaiting your approval" (only when this person may give it) and the redaction note. */
export function RolloutBadges({ rollout }: { rollout: RolloutSummary }) {
  const mine = rollout.awaitingApproval?.canApprove === true;
  if (!mine && !rollout.redacted) return null;
  return (
    <span className="mt-1 flex flex-wrap gap-1 text-xs">
      {mine && (
        <span className="inline-flex items-center gap-1 rounded-full border border-amber-600 bg-amber-50 px-2 py-0.5 font-medium text-amber-950 dark:bg-amber-950 dark:text-amber-50">
          <Hand aria-hidden className="size-3" />
          Awaiting your approval
        </span>
      )}
      {rollout.redacted && (
        <span className="inline-flex items-center gap-1 rounded-full border border-slate-400 px-2 py-0.5 text-slate-700 dark:text-slate-300">
          <EyeOff aria-hidden className="size-3" />
          {hiddenText(rollout.hiddenClusters)}
        </span>
      )}
    </span>
  );
}
