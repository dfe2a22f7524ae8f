import type { BulkSyncResult } from '@fleetdeck/shared';

const OUTCOME_CLASS: Record<BulkSyncResult['results'][number]['outcome'], string> = {
  done: 'text-emerald-800 dark:text-emerald-300',
  skipped: 'text-slate-700 dark:text-slate-300',
  failed: 'text-red-800 dark:text-red-300',
};

/** What the bulk sync did, app by app, in the BFF's words. */
export function BulkSyncResults({ result }: { result: BulkSyncResult }) {
  const done = result.results.filter((r) => r.outcome === 'done').length;
  return (
    <div role="status" data-testid="bulk-sync-results">
      <p className="font-medium">
        {done} of {result.results.length} synced.
      </p>
      <ul aria-label="Results per application" tabIndex={0} className="max-h-48 overflow-auto">
        {result.results.map((r) => (
          <li key={r.id} className={`text-xs ${OUTCOME_CLASS[r.outcome]}`}>
            <span className="font-mono">{r.id}</span>: {r.outcome} — {r.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
