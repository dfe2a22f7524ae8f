import { useState } from 'react';

import type { DeliverySummary, RefreshBody } from '@fleetdeck/shared';

import { ActionDialog } from '../../components/action-dialog.tsx';
import { DialogButtons, DialogError } from './dialog-buttons.tsx';

/** Argo CD refresh: compare with git again (normal), or also regenerate the manifests, skipping Argo CD's cache (hard). */
export function RefreshDialog({
  delivery,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  delivery: DeliverySummary;
  pending: boolean;
  error: Error | null;
  onConfirm: (body: RefreshBody) => void;
  onClose: () => void;
}) {
  const [hard, setHard] = useState(false);
  return (
    <ActionDialog open title={`Refresh ${delivery.name}?`} onClose={onClose}>
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (!pending) onConfirm(hard ? { hard } : {});
        }}
      >
        <fieldset className="space-y-1">
          <legend className="font-medium">How</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="refresh" checked={!hard} onChange={() => setHard(false)} />
            Normal: compare the cluster with git again
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="refresh" checked={hard} onChange={() => setHard(true)} />
            Hard: also regenerate the manifests (skips Argo CD&apos;s cache)
          </label>
        </fieldset>
        <DialogError error={error} />
        <DialogButtons label={pending ? 'Refreshing…' : 'Refresh'} disabled={pending} onCancel={onClose} />
      </form>
    </ActionDialog>
  );
}
