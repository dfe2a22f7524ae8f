import { useSyncExternalStore } from 'react';

// One shared clock for every relative time on the page, ticking every 10 s.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  // The clock stood still while nobody watched it.
  if (!timer) now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, 10_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
export const useNow = () => useSyncExternalStore(subscribe, () => now);

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

export function formatRelative(date: Date, reference: number): string {
  const seconds = Math.round((date.getTime() - reference) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.round(seconds / size), unit);
  }
  return date.toISOString();
}

// `toLocaleString()` builds a new formatter on every call; this one is built once with the
// same fields (a virtualised list mounts dozens of these per scroll frame).
const exact = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** "3 minutes ago", with the exact time on hover and for screen readers via <time>. */
export function RelativeTime({ iso }: { iso: string }) {
  const reference = useNow();
  const date = new Date(iso);
  // Something that happened since the clock last ticked is "now", not "in 5 seconds".
  const fresh = date.getTime() > reference && date.getTime() - reference < 10_000;
  return (
    <time dateTime={iso} title={exact.format(date)}>
      {formatRelative(date, fresh ? date.getTime() : reference)}
    </time>
  );
}
