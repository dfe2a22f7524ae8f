import { Radio } from 'lucide-react';

import type { LiveState } from '../api/live/live-connection.ts';

const TEXT: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  paused: 'Paused (tab hidden)',
};

/** The live stream's state, always visible on a live page. */
export function LiveBadge({ state }: { state: LiveState }) {
  const color = state === 'live' ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-700 dark:text-amber-400';
  return (
    <span className={`ml-auto inline-flex items-center gap-1 text-sm ${color}`} data-testid="live-state">
      <Radio aria-hidden className="size-4" />
      {TEXT[state]}
    </span>
  );
}
