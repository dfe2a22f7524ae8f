import { useId, useState } from 'react';

import type { DeliverySummary, SyncBody } from '@fleetdeck/shared';

import { ActionDialog } from '../../components/action-dialog.tsx';
import { DialogButtons, DialogError } from './dialog-buttons.tsx';

const REVISION = /^[A-Za-z0-9._/@^~-]+$/;

/** Argo CD sync: to the target revision (or one given), optionally pruning what git no longer has. */
export function SyncDialog({
  delivery,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  delivery: DeliverySummary;
  pending: boolean;
  error: Error | null;
  onConfirm: (body: SyncBody) => void;
  onClose: () => void;
}) {
  const [revision, setRevision] = useState('');
  const [prune, setPrune] = useState(false);
  const id = useId();
  const rev = revision.trim();
  const valid = rev === '' || (rev.length <= 200 && REVISION.test(rev));
  return (
    <ActionDialog open title={`Sync ${delivery.name}?`} onClose={onClose}>
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !pending) onConfirm({ ...(rev && { revision: rev }), ...(prune && { prune }) });
        }}
      >
        <p>
          Argo CD applies what git has at{' '}
          <code className="font-mono">{rev || delivery.revision || delivery.branch || 'the target revision'}</code> to{' '}
          {delivery.argocd?.destination.name ?? delivery.argocd?.destination.server ?? 'its destination'}.
        </p>
        <div>
          <label htmlFor={id} className="block font-medium">
            Revision (optional)
          </label>
          <input
            id={id}
            value={revision}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={!valid}
            placeholder={delivery.revision ?? 'HEAD'}
            onChange={(e) => setRevision(e.target.value)}
            className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono dark:border-slate-600 dark:bg-slate-950"
          />
          {!valid && <p className="text-red-800 dark:text-red-300">A revision is a branch, tag or commit: letters, digits and ._/@^~-</p>}
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={prune} onChange={(e) => setPrune(e.target.checked)} />
          Prune: delete resources that are no longer in git
        </label>
        <DialogError error={error} />
        <DialogButtons label={pending ? 'Syncing…' : 'Sync'} disabled={!valid || pending} onCancel={onClose} />
      </form>
    </ActionDialog>
  );
}
