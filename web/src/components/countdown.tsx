import { useSyncExternalStore } from 'react';

// One shared clock ticking every second, for countdowns (relative times tick slower).
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    // The clock stood still while nobody watched it.
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
export const useSecondClock = () => useSyncExternalStore(subscribe, () => now);

/** "1h 02m 03s", "4m 05s", "12s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/**
 * Time left until `until`, ticking each second on the client (no refetch), with the
 * exact moment on hover. Past it, says so until the data moves on.
 */
export function Countdown({ until, doneText = 'due now' }: { until: string; doneText?: string }) {
  const reference = useSecondClock();
  const left = Date.parse(until) - reference;
  return (
    <time dateTime={until} title={new Date(until).toLocaleString()} role="timer" className="tabular-nums">
      {left > 0 ? `${formatDuration(left)} left` : doneText}
    </time>
  );
}
