import { useId, useState } from 'react';

import type { DeliveryPauseBody, DeliverySummary } from '@fleetdeck/shared';

import { ActionDialog } from '../../components/action-dialog.tsx';
import { DialogButtons, DialogError } from './dialog-buttons.tsx';

/** Pause (or resume) a Fleet GitRepo: commits are still rendered, deployment is held (shown OutOfSync). */
export function PauseDialog({
  delivery,
  resume,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  delivery: DeliverySummary;
  resume: boolean;
  pending: boolean;
  error: Error | null;
  onConfirm: (body: DeliveryPauseBody) => void;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const id = useId();
  const verb = resume ? 'Resume' : 'Pause';
  return (
    <ActionDialog open title={`${verb} ${delivery.name}?`} onClose={onClose}>
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (!pending) onConfirm(reason.trim() ? { reason: reason.trim() } : {});
        }}
      >
        <p>
          {resume
            ? 'Fleet deploys what this GitRepo has rendered meanwhile to its clusters again.'
            : 'Fleet keeps rendering new commits but deploys none of them until resumed; its clusters show OutOfSync meanwhile.'}
        </p>
        <div>
          <label htmlFor={id} className="block font-medium">
            Reason (optional, recorded in the audit)
          </label>
          <input
            id={id}
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-950"
          />
        </div>
        <DialogError error={error} />
        <DialogButtons label={pending ? `${verb.slice(0, -1)}ing…` : verb} disabled={pending} onCancel={onClose} />
      </form>
    </ActionDialog>
  );
}
