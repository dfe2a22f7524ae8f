import { RefreshCcw } from 'lucide-react';
import { useState } from 'react';

import { BulkSyncDialog } from './bulk-sync-dialog.tsx';

/** "Sync by labels…": `argocd app sync -l env=production`, with a preview first. */
export function BulkSyncButton({ initialLabels }: { initialLabels: string | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="inline-flex items-center gap-1.5 rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
      >
        <RefreshCcw aria-hidden className="size-4" />
        Sync by labels…
      </button>
      {open && <BulkSyncDialog initialLabels={initialLabels ?? ''} onClose={() => setOpen(false)} />}
    </>
  );
}
