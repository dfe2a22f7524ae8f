/**
 * The upstream objects as the mappers read them: every field optional and of unknown
 * type, because a spoke may run any engine version (or a broken one). Mappers check
 * each field they use instead of trusting these shapes.
 */
export interface RawMeta {
  name?: unknown;
  namespace?: unknown;
  labels?: unknown;
  annotations?: unknown;
  creationTimestamp?: unknown;
}

export interface RawObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: RawMeta;
  spec?: unknown;
  status?: unknown;
}

/** A policy report's own fields sit at the top level, beside metadata. */
export interface RawReport extends RawObject {
  scope?: unknown;
  summary?: unknown;
  results?: unknown;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const strMap = (v: unknown): Record<string, string> => {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
};
export const isoTime = (v: unknown): string | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};
