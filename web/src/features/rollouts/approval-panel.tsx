import { useId, useState } from 'react';

import type { Rollout } from '@fleetdeck/shared';

import { ActionError, ActionResultNote } from './action-result.tsx';
import { useRolloutAction } from './use-rollout-action.ts';

const NOT_SAID = 'Fleetdeck did not say that you may approve this wave.';

/**
 * The gate waiting for an approval: a comment box and Approve, enabled only when the
 * BFF says this person may approve that wave (else disabled, with its reason). The
 * answer stays shown after the rollout moves on past the gate.
 */
export function ApprovalPanel({ rollout }: { rollout: Rollout }) {
  const action = useRolloutAction(rollout.id);
  const [comment, setComment] = useState('');
  const ids = useId();
  const waiting = rollout.awaitingApproval;
  const done = action.variables?.kind === 'approve' ? action.variables.wave : undefined;
  const wave = waiting?.wave ?? done;
  if (!wave) return null;
  const permission = rollout.approveWaves[wave] ?? { allowed: false, reason: NOT_SAID };
  const canSend = Boolean(waiting) && permission.allowed && !action.isPending;
  return (
    <section
      aria-labelledby={`${ids}-title`}
      className="rounded-lg border border-amber-400 bg-amber-50/60 p-4 dark:border-amber-700 dark:bg-amber-950/40"
    >
      <h2 id={`${ids}-title`} className="font-semibold">
        {waiting
          ? `Approval: wave ${waiting.wave} is waiting ${waiting.position === 'before' ? 'to start' : 'to finish'}`
          : `Approval: wave ${wave}`}
      </h2>
      {waiting && (
        <form
          className="mt-2 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!canSend) return;
            const text = comment.trim();
            action.mutate(
              { kind: 'approve', wave: waiting.wave, body: text ? { comment: text } : {} },
              { onSuccess: () => setComment('') },
            );
          }}
        >
          <label htmlFor={`${ids}-comment`} className="block text-sm font-medium">
            Comment (recorded with your approval)
          </label>
          <textarea
            id={`${ids}-comment`}
            value={comment}
            maxLength={1024}
            rows={2}
            disabled={!permission.allowed}
            onChange={(e) => setComment(e.target.value)}
            className="w-full max-w-xl rounded border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-70 dark:border-slate-600 dark:bg-slate-900"
          />
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="submit"
              disabled={!canSend}
              aria-describedby={permission.allowed ? undefined : `${ids}-why`}
              className="rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800 disabled:cursor-not-allowed disabled:bg-slate-400 disabled:text-slate-900"
            >
              {action.isPending ? 'Approving…' : `Approve wave ${waiting.wave}`}
            </button>
            {!permission.allowed && (
              <p id={`${ids}-why`} className="text-sm text-slate-800 dark:text-slate-200">
                You cannot approve this wave: {permission.reason ?? NOT_SAID}
              </p>
            )}
          </div>
        </form>
      )}
      <div className="mt-2">
        {action.data && <ActionResultNote result={action.data} label={`Approval of wave ${wave}`} />}
        {action.error && <ActionError error={action.error} label={`Approval of wave ${wave}`} />}
      </div>
    </section>
  );
}
