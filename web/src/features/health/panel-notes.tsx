import { AlertTriangle, CircleAlert } from 'lucide-react';

import type { PartialError } from '@fleetdeck/shared';

/**
 * What a panel could not show: errors (the query failed, Prometheus is down, not for your
 * role) and warnings (Thanos partial responses), each by icon and by word.
 */
export function PanelNotes({ errors, warnings }: { errors: readonly PartialError[]; warnings: readonly string[] }) {
  if (errors.length === 0 && warnings.length === 0) return null;
  return (
    // Not a list: an item with role="alert" would no longer be a list item.
    <div className="mb-2 space-y-1 text-sm">
      {errors.map((e, i) => (
        <p key={`e${i}`} role="alert" className="flex items-start gap-1.5 text-red-800 dark:text-red-300">
          <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>
            <span className="font-medium">Error:</span> {e.reason}
          </span>
        </p>
      ))}
      {warnings.map((w, i) => (
        <p key={`w${i}`} className="flex items-start gap-1.5 text-amber-800 dark:text-amber-300">
          <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
          <span>
            <span className="font-medium">Warning:</span> {w}
          </span>
        </p>
      ))}
    </div>
  );
}
