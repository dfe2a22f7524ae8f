import type { SyncPreview } from '@fleetdeck/shared';

/** What a bulk sync would do: the apps it syncs, then the ones it skips with why. */
export function BulkSyncPreview({ preview }: { preview: SyncPreview }) {
  const will = preview.items.filter((i) => i.skip === '');
  const skipped = preview.items.filter((i) => i.skip !== '');
  return (
    <div className="space-y-2" data-testid="sync-preview">
      <p>
        <code className="font-mono">{preview.labels}</code> matches {preview.total} {preview.total === 1 ? 'application' : 'applications'}{' '}
        you may see: {will.length} will be synced, {skipped.length} skipped.
      </p>
      {will.length > 0 && (
        <div>
          <h3 className="font-medium">Will be synced</h3>
          <ul aria-label="Will be synced" tabIndex={0} className="max-h-48 overflow-auto">
            {will.map((i) => (
              <li key={i.id} className="font-mono text-xs">
                {i.name}
                {i.cluster && ` → ${i.cluster}`}{' '}
                <span className="font-sans">
                  ({i.sync} / {i.health})
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {skipped.length > 0 && (
        <div>
          <h3 className="font-medium">Skipped</h3>
          <ul aria-label="Skipped" tabIndex={0} className="max-h-48 overflow-auto">
            {skipped.map((i) => (
              <li key={i.id} className="text-xs">
                <span className="font-mono">{i.name}</span>
                {i.cluster && ` → ${i.cluster}`}: {i.skip}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
