import type { ApprovalProgress } from '@fleetdeck/shared';
import { CircleCheck, Hand, ShieldCheck } from 'lucide-react';

import { RelativeTime } from '../../components/relative-time.tsx';
import { VERDICT } from './readiness-look.ts';

/**
 * The approver policy's state for one wave: "1 of 2 approvals; needs one more from
 * fleet-platform-admins", then who approved, when, with what comment, and (for a wave
 * that was not ready) the reason they typed and what they were shown.
 */
export function ApprovalProgressView({ progress, user }: { progress: ApprovalProgress; user: string | undefined }) {
  const Icon = progress.satisfied ? CircleCheck : Hand;
  const mine = progress.approvals.find((a) => a.user === user);
  return (
    <div className="space-y-1 text-sm" data-testid="approval-progress">
      <p
        className={`flex items-center gap-1.5 font-medium ${progress.satisfied ? 'text-emerald-800 dark:text-emerald-300' : 'text-amber-900 dark:text-amber-200'}`}
      >
        <Icon aria-hidden className="size-4 shrink-0" />
        {progress.summary}
      </p>
      {progress.groupRequirements.length > 0 && (
        <ul className="text-xs text-slate-700 dark:text-slate-300" aria-label="Group requirements">
          {progress.groupRequirements.map((g) => (
            <li key={g.group}>
              {g.group}: {g.given} of {g.required} {g.given >= g.required ? '(met)' : '(needed)'}
            </li>
          ))}
        </ul>
      )}
      {progress.mfaRequired && (
        <p className="flex items-center gap-1 text-xs">
          <ShieldCheck aria-hidden className="size-3.5" /> Approving this wave needs a multi-factor sign-in.
        </p>
      )}
      {mine && (
        <p className="text-xs font-medium" data-testid="your-approval">
          You approved this wave <RelativeTime iso={mine.at} />; it counts once.
        </p>
      )}
      {progress.approvals.length > 0 && (
        <ul className="space-y-1" aria-label="Approvals so far">
          {progress.approvals.map((a) => (
            <li key={a.user} className="rounded border border-slate-200 px-2 py-1 dark:border-slate-700">
              <span className="font-medium">{a.user}</span> <RelativeTime iso={a.at} />
              {a.groups.length > 0 && <span className="text-xs"> · as {a.groups.join(', ')}</span>}
              {a.mfa && <span className="text-xs"> · with multi-factor sign-in</span>}
              {a.comment && <p className="text-xs">“{a.comment}”</p>}
              {a.notReadyReason && (
                <p className="text-xs">
                  Approved although {a.readiness ? VERDICT[a.readiness.verdict].text.toLowerCase() : 'not ready'}: “{a.notReadyReason}”
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
