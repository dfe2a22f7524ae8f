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
