import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';

import { syncPreviewQuery } from '../../api/queries.ts';
import { ErrorPanel, Loading } from '../../components/states.tsx';
import { ActionDialog } from '../../components/action-dialog.tsx';
import { BulkSyncPreview } from './bulk-sync-preview.tsx';
import { BulkSyncResults } from './bulk-sync-results.tsx';
import { useBulkSync } from './use-delivery-action.ts';

const INPUT = 'mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono dark:border-slate-600 dark:bg-slate-950';
const BUTTON = 'rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800';

/**
 * Bulk sync by label selector: type `env=production`, see what would be synced and what is
 * skipped (and why), confirm, then see each app's result. Only the previewed, not skipped
 * apps are sent; the BFF checks each again.
 */
export function BulkSyncDialog({ initialLabels, onClose }: { initialLabels: string; onClose: () => void }) {
  const [draft, setDraft] = useState(initialLabels);
  const [labels, setLabels] = useState<string>();
  const [prune, setPrune] = useState(false);
  const id = useId();
  const preview = useQuery({ ...syncPreviewQuery(labels ?? ''), enabled: labels !== undefined });
  const sync = useBulkSync();
  const toSync = preview.data?.items.filter((i) => i.skip === '').map((i) => i.id) ?? [];
  const done = sync.data !== undefined;
  return (
    <ActionDialog open title="Sync Argo CD applications by labels" onClose={onClose}>
      <div className="space-y-3 text-sm">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const text = draft.trim();
            if (!text) return;
            sync.reset();
            setLabels(text);
            if (text === labels) void preview.refetch();
          }}
        >
          <label htmlFor={id} className="block font-medium">
            Application labels (e.g. <code className="font-mono">env=production</code>)
          </label>
          <div className="flex gap-2">
            <input
              id={id}
              value={draft}
              maxLength={1024}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setDraft(e.target.value)}
              className={INPUT}
            />
            <button type="submit" disabled={!draft.trim() || sync.isPending} className={`${BUTTON} mt-1 shrink-0 disabled:opacity-60`}>
              Preview
            </button>
          </div>
        </form>
        {labels !== undefined && preview.isFetching && !preview.data && <Loading label="Asking what would be synced…" />}
        {preview.isError && <ErrorPanel title="The preview could not be made" error={preview.error} />}
        {preview.data && !done && <BulkSyncPreview preview={preview.data} />}
        {sync.data && <BulkSyncResults result={sync.data} />}
        {sync.error && (
          <p role="alert" className="text-red-800 dark:text-red-300">
            Bulk sync failed: {sync.error.message}
          </p>
        )}
        {preview.data && !done && toSync.length > 0 && (
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={prune} onChange={(e) => setPrune(e.target.checked)} />
            Prune: delete resources that are no longer in git
          </label>
        )}
        <div className="flex justify-end gap-2 pt-1">
          <button type="button" onClick={onClose} className={BUTTON}>
            {done ? 'Close' : 'Cancel'}
          </button>
          {preview.data && !done && (
            <button
              type="button"
              disabled={toSync.length === 0 || sync.isPending || preview.isFetching}
              onClick={() => sync.mutate({ labels: preview.data.labels, ids: toSync, ...(prune && { prune }) })}
              className="rounded bg-teal-700 px-3 py-1.5 font-medium text-white hover:bg-teal-800 disabled:cursor-not-allowed disabled:bg-slate-400 disabled:text-slate-900"
            >
              {sync.isPending ? 'Syncing…' : `Sync ${toSync.length} ${toSync.length === 1 ? 'application' : 'applications'}`}
            </button>
          )}
        </div>
      </div>
    </ActionDialog>
  );
}
