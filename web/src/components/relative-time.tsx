import { useSyncExternalStore } from 'react';

import { textColumn } from './text-column.ts';

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

/**
 * A formatter's answers remembered, up to `max` of them (then it starts again). Intl's
 * `format` costs microseconds a call; a scrolled log list formats dozens of times per frame,
 * mostly the same few texts ("2 minutes ago") and the same seconds.
 */
function remembered<K>(format: (key: K) => string, max: number): (key: K) => string {
  const seen = new Map<K, string>();
  return (key) => {
    let text = seen.get(key);
    if (text === undefined) {
      if (seen.size >= max) seen.clear();
      text = format(key);
      seen.set(key, text);
    }
    return text;
  };
}

const relativeText = remembered((key: string) => {
  const [n, unit] = key.split(' ') as [string, Intl.RelativeTimeFormatUnit];
  return rtf.format(Number(n), unit);
}, 512);

export function formatRelative(date: Date, reference: number): string {
  const seconds = Math.round((date.getTime() - reference) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return relativeText(`${Math.round(seconds / size)} ${unit}`);
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
// The exact text shows whole seconds, so lines of the same second share it.
const exactText = remembered((second: number) => exact.format(second * 1000), 4096);

/**
 * "3 minutes ago", with the exact time on hover and for screen readers via <time>. With a
 * `width`, exactly that many characters (cut or padded), for a column of monospaced text.
 */
export function RelativeTime({ iso, className, width }: { iso: string; className?: string; width?: number }) {
  const reference = useNow();
  const date = new Date(iso);
  // Something that happened since the clock last ticked is "now", not "in 5 seconds".
  const fresh = date.getTime() > reference && date.getTime() - reference < 10_000;
  const text = formatRelative(date, fresh ? date.getTime() : reference);
  return (
    <time dateTime={iso} title={exactText(Math.floor(date.getTime() / 1000))} className={className}>
      {width === undefined ? text : textColumn(text, width)}
    </time>
  );
}
