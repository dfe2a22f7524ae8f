// Times on charts are the person's local time; `Intl` is the one date library.
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayClock = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A time-axis tick (unix seconds) as precise as the span shown needs. */
export function formatTickTime(t: number, spanSeconds: number): string {
  const d = new Date(t * 1000);
  if (spanSeconds <= 86_400) return clock.format(d);
  if (spanSeconds <= 3 * 86_400) return dayClock.format(d);
  return day.format(d);
}

/** The exact time of a point (tooltips). */
export function formatFullTime(t: number): string {
  return full.format(new Date(t * 1000));
}

/** Tick spacings a time axis may use, seconds: round clock steps, so ticks land on readable times. */
const TICK_STEPS = [
  60,
  120,
  300,
  600,
  900,
  1_800,
  3_600,
  7_200,
  10_800,
  21_600,
  43_200,
  86_400,
  2 * 86_400,
  7 * 86_400,
  14 * 86_400,
  30 * 86_400,
];

/**
 * At most `max` ticks (unix seconds) inside `[from, to]`, on the smallest round step that
 * fits, aligned to the local clock (a 6-hour step lands on 00:00, 06:00, …). Given to the
 * chart explicitly: left to itself, recharts measures a candidate tick per data point.
 */
export function timeTicks([from, to]: readonly [number, number], max = 6): number[] {
  const span = to - from;
  if (!(span > 0) || max < 1) return [];
  const step = TICK_STEPS.find((s) => span / s <= max) ?? Math.ceil(span / max / 86_400) * 86_400;
  // Local-clock alignment: the offset of the zone at the window's start (minutes west of UTC).
  const offset = -new Date(from * 1000).getTimezoneOffset() * 60;
  const first = Math.ceil((from + offset) / step) * step - offset;
  const out: number[] = [];
  for (let t = first; t <= to && out.length < max; t += step) out.push(t);
  return out;
}
