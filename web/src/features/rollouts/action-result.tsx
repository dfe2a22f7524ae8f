import type { RolloutActionResult } from '@fleetdeck/shared';
import { CircleCheck, Info } from 'lucide-react';

/** What an action did: "done" plainly, a no-op ("already approved") as a calm note, never as an error. */
export function ActionResultNote({ result, label }: { result: RolloutActionResult; label: string }) {
  const noop = result.outcome === 'no-op';
  const Icon = noop ? Info : CircleCheck;
  return (
    <p
      role="status"
      data-testid="action-result"
      data-code={result.code}
      className={`flex items-center gap-2 text-sm ${noop ? 'text-slate-700 dark:text-slate-300' : 'text-emerald-800 dark:text-emerald-300'}`}
    >
      <Icon aria-hidden className="size-4 shrink-0" />
      {label}: {result.message}
    </p>
  );
}

/** A refused or failed action: the problem's own words. */
export function ActionError({ error, label }: { error: Error; label: string }) {
  return (
    <p role="alert" className="text-sm text-red-800 dark:text-red-300">
      {label} failed: {error.message}
    </p>
  );
}
