import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';

import type { Rollout } from '@fleetdeck/shared';

import { ApiError } from '../../api/client.ts';
import { meQuery } from '../../api/queries.ts';
import { ActionError, ActionResultNote } from './action-result.tsx';
import { ApprovalProgressView } from './approval-progress.tsx';
import { approveBody, isStepUpRequired, reasonRequired } from './approve-request.ts';
import { verdictSentence } from './readiness-look.ts';
import { StepUpNote } from './step-up-note.tsx';
import { useReadiness } from './use-readiness.ts';
import { useRolloutAction } from './use-rollout-action.ts';

const NOT_SAID = 'Fleetdeck did not say that you may approve this wave.';
const FIELD =
  'w-full max-w-xl rounded border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-70 dark:border-slate-600 dark:bg-slate-900';

/**
 * The gate waiting for an approval: the approver policy's progress, a comment box and
 * Approve, enabled only when the BFF says this person may approve that wave (else
 * disabled, with its reason). When the wave's readiness is not Ready, a reason is
 * required and sent with what was shown. The answer stays shown after the rollout
 * moves on past the gate.
 */
export function ApprovalPanel({ rollout }: { rollout: Rollout }) {
  const action = useRolloutAction(rollout.id);
  const me = useQuery(meQuery());
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<string>();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const ids = useId();
  const waiting = rollout.awaitingApproval;
  const readiness = useReadiness(rollout.id, waiting?.wave);
  const done = action.variables?.kind === 'approve' ? action.variables.wave : undefined;
  const wave = waiting?.wave ?? done;
  if (!wave) return null;
  const permission = rollout.approveWaves[wave] ?? { allowed: false, reason: NOT_SAID };
  const progress = rollout.approvalProgress?.[wave];
  // The BFF judged the wave itself and asked for a reason (422): ask for one from now on.
  const bffAsked = action.error instanceof ApiError && action.error.status === 422;
  const needsReason = bffAsked || reasonRequired(readiness.data);
  const canSend = Boolean(waiting) && permission.allowed && !action.isPending;
  const stepUp = isStepUpRequired(action.error);
  return (
    <section
      aria-labelledby={`${ids}-title`}
      data-testid="approval-panel"
      className="space-y-2 rounded-lg border border-amber-400 bg-amber-50/60 p-4 dark:border-amber-700 dark:bg-amber-950/40"
    >
      <h2 id={`${ids}-title`} className="font-semibold">
        {waiting
          ? `Approval: wave ${waiting.wave} is waiting ${waiting.position === 'before' ? 'to start' : 'to finish'}`
          : `Approval: wave ${wave}`}
      </h2>
      {progress && <ApprovalProgressView progress={progress} user={me.data?.principal.user} />}
      {waiting && progress?.mfaRequired && me.data?.principal.mfa === false && permission.allowed && !stepUp && <StepUpNote ahead />}
      {waiting && (
        <form
          className="space-y-2"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!canSend) return;
            const built = approveBody({ comment, notReadyReason: reason }, readiness.data, bffAsked);
            if ('missing' in built) {
              setMissing(built.missing);
              reasonRef.current?.focus();
              return;
            }
            setMissing(undefined);
            action.mutate(
              { kind: 'approve', wave: waiting.wave, body: built.body },
              {
                onSuccess: () => {
                  setComment('');
                  setReason('');
                },
              },
            );
          }}
        >
          {needsReason && permission.allowed && (
            <div>
              <p id={`${ids}-verdict`} className="text-sm text-red-900 dark:text-red-200">
                {readiness.data
                  ? `This wave is shown as: ${verdictSentence(readiness.data.verdict, readiness.data.reasons)}.`
                  : 'Fleetdeck judged this wave not ready.'}
              </p>
              <label htmlFor={`${ids}-reason`} className="block text-sm font-medium">
                Reason to approve although not ready (required)
              </label>
              <textarea
                id={`${ids}-reason`}
                ref={reasonRef}
                value={reason}
                required
                aria-required
                aria-invalid={missing ? true : undefined}
                aria-describedby={missing ? `${ids}-verdict ${ids}-missing` : `${ids}-verdict`}
                maxLength={1024}
                rows={2}
                disabled={!permission.allowed}
                onChange={(e) => setReason(e.target.value)}
                className={FIELD}
              />
              {missing && (
                <p id={`${ids}-missing`} role="alert" className="text-sm text-red-800 dark:text-red-300">
                  {missing}
                </p>
              )}
            </div>
          )}
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
            className={FIELD}
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
      <div>
        {action.data && <ActionResultNote result={action.data} label={`Approval of wave ${wave}`} />}
        {stepUp && <StepUpNote />}
        {action.error && !stepUp && <ActionError error={action.error} label={`Approval of wave ${wave}`} />}
      </div>
    </section>
  );
}
