import { z } from 'zod/mini';

import { DEFAULT_HEALTH_RANGE, HEALTH_MAX_SPAN_SECONDS, HealthRange, IsoTime } from '@fleetdeck/shared';

/**
 * The health time window as it lives in the URL (`?range=1h`, or `?from=…&to=…`), plus
 * `refresh=off` for a paused page. Anything malformed falls back to the default instead
 * of breaking a shared link.
 */
export const HealthSearch = z.object({
  range: z.catch(z.optional(HealthRange), undefined),
  from: z.catch(z.optional(IsoTime), undefined),
  to: z.catch(z.optional(IsoTime), undefined),
  refresh: z.catch(z.optional(z.literal('off')), undefined),
});
export type HealthSearch = z.infer<typeof HealthSearch>;

export type HealthView = { kind: 'preset'; range: HealthRange } | { kind: 'custom'; from: string; to: string };

/** Why a custom range cannot be used, or undefined when it can. */
export function customRangeProblem(from: string, to: string): string | undefined {
  const f = Date.parse(from);
  const t = Date.parse(to);
  if (!Number.isFinite(f) || !Number.isFinite(t)) return 'Give both a start and an end time.';
  if (t <= f) return 'The end must be after the start.';
  if ((t - f) / 1000 > HEALTH_MAX_SPAN_SECONDS) return `A range can span at most ${HEALTH_MAX_SPAN_SECONDS / 86_400} days.`;
  return undefined;
}

/** The window a URL asks for: a valid custom range wins over a preset; else the preset or 6h. */
export function viewFromSearch(search: HealthSearch): HealthView {
  if (search.from !== undefined && search.to !== undefined && customRangeProblem(search.from, search.to) === undefined) {
    return { kind: 'custom', from: search.from, to: search.to };
  }
  return { kind: 'preset', range: search.range ?? DEFAULT_HEALTH_RANGE };
}

/** The search params that express a view (undefined ones are removed from the URL). */
export function searchFromView(view: HealthView): Pick<HealthSearch, 'range' | 'from' | 'to'> {
  return view.kind === 'preset'
    ? { range: view.range, from: undefined, to: undefined }
    : { range: undefined, from: view.from, to: view.to };
}

/** The BFF's window parameters (`range`, or `from` and `to`). */
export function windowParams(view: HealthView): { range?: HealthRange; from?: string; to?: string } {
  return view.kind === 'preset' ? { range: view.range } : { from: view.from, to: view.to };
}

/** Two-digit parts of a local time, as `<input type="datetime-local">` reads and writes it. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (!Number.isFinite(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A `datetime-local` value (the person's own time zone) as RFC 3339 UTC, or undefined when empty or invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** "the last 6h", or the custom span in absolute times: used in summaries and labels. */
export function describeView(view: HealthView): string {
  if (view.kind === 'preset') return `the last ${view.range}`;
  const f = new Date(view.from).toLocaleString();
  const t = new Date(view.to).toLocaleString();
  return `${f} to ${t}`;
}
