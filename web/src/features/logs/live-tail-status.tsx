import type { LiveTail } from './use-live-tail.ts';

const TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  failed: 'Stopped',
  // Shown only while live is on: the tail waits for the window's lines before it starts.
  stopped: 'Starting…',
} as const;

/** The tail's connection state, what is waiting while paused, what was dropped, and the BFF's problem text. */
export function LiveTailStatus({ tail }: { tail: LiveTail }) {
  const { state, problem, snapshot } = tail;
  return (
    <div className="space-y-1 text-sm" aria-live="polite">
      <p
        data-testid="tail-state"
        data-state={state}
        className={state === 'live' ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-700 dark:text-amber-400'}
      >
        Live tail: {TEXT[state]}
        {snapshot.paused && ` · paused, ${snapshot.pending.toLocaleString('en')} new lines waiting`}
        {snapshot.dropped > 0 && ` · ${snapshot.dropped.toLocaleString('en')} lines dropped`}
        {` · ${snapshot.lines.size.toLocaleString('en')} lines`}
      </p>
      {problem && (
        <p
          role="alert"
          className="rounded border border-red-300 bg-red-50 p-2 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          {problem.title}
          {problem.detail && `: ${problem.detail}`}
          {state === 'reconnecting' && ' (trying again)'}
        </p>
      )}
    </div>
  );
}
