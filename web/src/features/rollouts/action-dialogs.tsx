import { useId, useState } from 'react';

import type { Rollout } from '@fleetdeck/shared';

import { ActionDialog } from '../../components/action-dialog.tsx';
import { hiddenText } from './source-label.ts';
import { DialogButtons, TypedNameForm } from './typed-name-form.tsx';

interface DialogProps {
  rollout: Rollout;
  open: boolean;
  pending: boolean;
  error: Error | null;
  onClose: () => void;
}

/** Abort: the run is deleted; what is updated stays updated. */
export function AbortDialog({ rollout, onConfirm, ...p }: DialogProps & { onConfirm: (confirm: string) => void }) {
  return (
    <ActionDialog open={p.open} title={`Abort ${rollout.name}?`} onClose={p.onClose}>
      <TypedNameForm
        name={rollout.name}
        action="Abort rollout"
        pending={p.pending}
        error={p.error}
        onConfirm={onConfirm}
        onCancel={p.onClose}
      >
        <p>
          Aborting stops this rollout for good: no further cluster is updated. <strong>Clusters already updated stay updated</strong>; to
          return them, roll back instead.
        </p>
      </TypedNameForm>
    </ActionDialog>
  );
}

/** Roll back: which revision, which clusters (hidden ones counted), and the source's own note. */
export function RollbackDialog({ rollout, onConfirm, ...p }: DialogProps & { onConfirm: (confirm: string) => void }) {
  const plan = rollout.rollback;
  return (
    <ActionDialog open={p.open} title={`Roll back ${rollout.name}?`} onClose={p.onClose}>
      <TypedNameForm name={rollout.name} action="Roll back" pending={p.pending} error={p.error} onConfirm={onConfirm} onCancel={p.onClose}>
        {plan ? (
          <>
            <p>
              Returns to revision <code className="font-mono font-semibold">{plan.toRevision}</code>
              {plan.fromRevision && (
                <>
                  {' '}
                  (from <code className="font-mono">{plan.fromRevision}</code>)
                </>
              )}
              .
            </p>
            <div>
              <p className="font-medium">Clusters it will touch</p>
              <ul aria-label="Clusters the roll back touches" className="mt-1 flex flex-wrap gap-1">
                {plan.clusters.map((c) => (
                  <li key={c} className="rounded border border-slate-300 px-1.5 font-mono text-xs dark:border-slate-600">
                    {c}
                  </li>
                ))}
              </ul>
              {plan.hiddenClusters > 0 && <p className="mt-1">and {hiddenText(plan.hiddenClusters)}</p>}
            </div>
            <p className="rounded border border-amber-400 bg-amber-50 p-2 text-amber-950 dark:bg-amber-950 dark:text-amber-50">
              {plan.note}
            </p>
          </>
        ) : (
          <p>Fleetdeck found no earlier revision to return to.</p>
        )}
      </TypedNameForm>
    </ActionDialog>
  );
}

/** Reject: the run is paused and the reason (required) recorded. */
export function RejectDialog({ rollout, onConfirm, ...p }: DialogProps & { onConfirm: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const id = useId();
  const text = reason.trim();
  return (
    <ActionDialog open={p.open} title={`Reject ${rollout.name}?`} onClose={p.onClose}>
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (text && !p.pending) onConfirm(text);
        }}
      >
        <p>Rejecting pauses the rollout and records why. It can be resumed later.</p>
        <div>
          <label htmlFor={id} className="block font-medium">
            Reason (required)
          </label>
          <textarea
            id={id}
            required
            value={reason}
            maxLength={1024}
            rows={3}
            onChange={(e) => setReason(e.target.value)}
            className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-950"
          />
        </div>
        {p.error && (
          <p role="alert" className="text-red-800 dark:text-red-300">
            {p.error.message}
          </p>
        )}
        <DialogButtons label={p.pending ? 'Rejecting…' : 'Reject rollout'} disabled={!text || p.pending} onCancel={p.onClose} />
      </form>
    </ActionDialog>
  );
}
