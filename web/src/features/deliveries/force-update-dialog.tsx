import type { DeliverySummary, ForceUpdateBody } from '@fleetdeck/shared';

import { ActionDialog } from '../../components/action-dialog.tsx';
import { DialogButtons, DialogError } from './dialog-buttons.tsx';

/**
 * Fleet force update (what Rancher's button does): `forceSyncGeneration` + 1, so every
 * cluster redeploys the GitRepo's bundles even when nothing changed. Each confirm is one
 * click with its own id: the same click delivered twice bumps it once.
 */
export function ForceUpdateDialog({
  delivery,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  delivery: DeliverySummary;
  pending: boolean;
  error: Error | null;
  onConfirm: (body: ForceUpdateBody) => void;
  onClose: () => void;
}) {
  return (
    <ActionDialog open title={`Force update ${delivery.name}?`} onClose={onClose}>
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (!pending) onConfirm({ click: crypto.randomUUID() });
        }}
      >
        <p>
          Fleet redeploys this GitRepo&apos;s bundles on all {delivery.desired} of its clusters you may see, even where nothing changed (
          <code className="font-mono">forceSyncGeneration</code> {delivery.fleet?.forceSyncGeneration ?? 0} →{' '}
          {(delivery.fleet?.forceSyncGeneration || 1) + 1}).
        </p>
        <DialogError error={error} />
        <DialogButtons label={pending ? 'Forcing update…' : 'Force update'} disabled={pending} onCancel={onClose} />
      </form>
    </ActionDialog>
  );
}
