import { Pause, Play, RefreshCw } from 'lucide-react';

import { RelativeTime } from '../../components/relative-time.tsx';

const button =
  'inline-flex items-center gap-1 rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800';

/**
 * Auto-refresh state, by word and icon: "Auto-refresh on" with a Pause button, or paused
 * with Resume. A custom window never moves, so it is never refreshed on its own.
 */
export function RefreshControl({
  paused,
  custom,
  updatedAt,
  fetching,
  onPausedChange,
  onRefresh,
}: {
  paused: boolean;
  custom: boolean;
  updatedAt: string | undefined;
  fetching: boolean;
  onPausedChange: (paused: boolean) => void;
  onRefresh: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-300">
      <span data-testid="refresh-state" role="status">
        {fetching ? 'Updating…' : custom ? 'Fixed range' : paused ? 'Auto-refresh paused' : 'Auto-refresh on'}
        {updatedAt && (
          <>
            {' · updated '}
            <RelativeTime iso={updatedAt} />
          </>
        )}
      </span>
      {!custom && (
        <button type="button" onClick={() => onPausedChange(!paused)} className={button}>
          {paused ? <Play aria-hidden className="size-3" /> : <Pause aria-hidden className="size-3" />}
          {paused ? 'Resume auto-refresh' : 'Pause auto-refresh'}
        </button>
      )}
      <button type="button" onClick={onRefresh} disabled={fetching} className={button}>
        <RefreshCw aria-hidden className={`size-3 ${fetching ? 'animate-spin' : ''}`} />
        Refresh now
      </button>
    </div>
  );
}
