import { Ban, Pause, Play, PinOff, RotateCcw, ThumbsDown, type LucideIcon } from 'lucide-react';
import { useId, useState } from 'react';

import type { ActionPermission, Rollout, RolloutActionKind } from '@fleetdeck/shared';

import { ActionError, ActionResultNote } from './action-result.tsx';
import { AbortDialog, RejectDialog, RollbackDialog } from './action-dialogs.tsx';
import { useRolloutAction, type RolloutActionRequest } from './use-rollout-action.ts';

const LABEL: Record<Exclude<RolloutActionKind, 'approve'>, { text: string; icon: LucideIcon }> = {
  pause: { text: 'Pause', icon: Pause },
  resume: { text: 'Resume', icon: Play },
  reject: { text: 'Reject…', icon: ThumbsDown },
  abort: { text: 'Abort…', icon: Ban },
  rollback: { text: 'Roll back…', icon: RotateCcw },
  unpin: { text: 'Unpin', icon: PinOff },
};
const NOT_SAID: ActionPermission = { allowed: false, reason: 'Fleetdeck did not say that you may do this.' };

type Dialog = 'reject' | 'abort' | 'rollback' | undefined;

/**
 * Pause, resume, reject, abort, roll back and (when pinned) unpin. Every button is shown;
 * one this person may not use is disabled with the BFF's reason beside it. The
 * dangerous ones ask first, in a dialog.
 */
export function RolloutActions({ rollout }: { rollout: Rollout }) {
  const action = useRolloutAction(rollout.id);
  const [dialog, setDialog] = useState<Dialog>();
  const ids = useId();
  const run = (req: RolloutActionRequest) => action.mutate(req, { onSuccess: () => setDialog(undefined) });
  const kinds: Exclude<RolloutActionKind, 'approve'>[] = [
    'pause',
    'resume',
    'reject',
    'abort',
    'rollback',
    ...(rollout.pinned ? (['unpin'] as const) : []),
  ];
  const last = action.variables?.kind;
  const lastLabel = last ? (last === 'approve' ? 'Approval' : LABEL[last].text.replace('…', '')) : '';
  const dialogProps = {
    rollout,
    pending: action.isPending,
    error: dialog ? action.error : null,
    onClose: () => setDialog(undefined),
  };
  return (
    <section aria-labelledby={`${ids}-title`} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <h2 id={`${ids}-title`} className="mb-2 font-semibold">
        Actions
      </h2>
      <ul className="flex flex-wrap items-start gap-3">
        {kinds.map((kind) => {
          const permission = rollout.actions[kind] ?? NOT_SAID;
          const { text, icon: Icon } = LABEL[kind];
          const whyId = `${ids}-${kind}-why`;
          const onClick = () => {
            if (kind === 'pause') run({ kind, body: {} });
            else if (kind === 'resume' || kind === 'unpin') run({ kind });
            else {
              action.reset();
              setDialog(kind);
            }
          };
          return (
            <li key={kind} className="max-w-56">
              <button
                type="button"
                disabled={!permission.allowed || action.isPending}
                aria-describedby={permission.allowed ? undefined : whyId}
                onClick={onClick}
                className="inline-flex items-center gap-1.5 rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-70 dark:border-slate-600 dark:hover:bg-slate-800"
              >
                <Icon aria-hidden className="size-4" />
                {text}
              </button>
              {!permission.allowed && (
                <p id={whyId} className="mt-0.5 text-xs text-slate-700 dark:text-slate-300">
                  {permission.reason ?? NOT_SAID.reason}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <div className="mt-2">
        {!dialog && action.data && <ActionResultNote result={action.data} label={lastLabel} />}
        {!dialog && action.error && <ActionError error={action.error} label={lastLabel} />}
      </div>
      <RejectDialog {...dialogProps} open={dialog === 'reject'} onConfirm={(reason) => run({ kind: 'reject', body: { reason } })} />
      <AbortDialog {...dialogProps} open={dialog === 'abort'} onConfirm={(confirm) => run({ kind: 'abort', body: { confirm } })} />
      <RollbackDialog {...dialogProps} open={dialog === 'rollback'} onConfirm={(confirm) => run({ kind: 'rollback', body: { confirm } })} />
    </section>
  );
}
