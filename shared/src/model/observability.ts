import { z } from 'zod/mini';

import { IsoTime, PartialError } from './common.ts';
import { inPlaceArray, isFiniteNumber } from './in-place-array.ts';

// Violations, health panels and logs arrive in later issues; see rollout.ts for why
// the model is fixed now.

export const PolicyEngine = z.enum(['gatekeeper', 'kyverno']);
export const PolicyViolation = z.object({
  engine: PolicyEngine,
  cluster: z.string(),
  policy: z.string(),
  rule: z.optional(z.string()),
  severity: z.optional(z.string()),
  enforcementAction: z.optional(z.string()),
  resource: z.object({ kind: z.string(), namespace: z.optional(z.string()), name: z.string() }),
  message: z.string(),
  observedAt: z.optional(IsoTime),
});
export type PolicyViolation = z.infer<typeof PolicyViolation>;

/** The brief's nine fleet-health panels; configuration may add more (any `HealthPanelKey`). */
export const BUILTIN_HEALTH_PANEL_IDS = [
  'apiAvailability',
  'nodesReady',
  'podHealthRatio',
  'gitopsSync',
  'lastSync',
  'violations',
  'failedAuth',
  'cpu',
  'memory',
] as const;
/** A panel's id: one of the nine, or one added by configuration. */
export const HealthPanelId = z
  .string()
  .check(z.regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,62}$/, 'letters, digits, "_" and "-", starting with a letter'));
export type HealthPanelId = z.infer<typeof HealthPanelId>;

/**
 * How a panel's numbers read: `ratio` 0…1 (shown as %), `percent` 0…100, `cores` CPU cores,
 * `bytes` (binary prefixes), `perSecond` a rate, `count`, `secondsSince` an age in seconds,
 * `bool` 1 up / 0 down.
 */
export const HealthUnit = z.enum(['ratio', 'percent', 'cores', 'bytes', 'perSecond', 'count', 'secondsSince', 'bool']);
export type HealthUnit = z.infer<typeof HealthUnit>;

/** `[unix seconds, value]`. */
export const Sample = z.tuple([z.number(), z.number()]);
export type Sample = z.infer<typeof Sample>;
export const isSample = (v: unknown): v is Sample => Array.isArray(v) && v.length === 2 && isFiniteNumber(v[0]) && isFiniteNumber(v[1]);
/** Samples, checked in place (a 7-day series holds thousands). */
export const Samples = inPlaceArray(Sample, isSample);
export const HealthSeries = z.object({ cluster: z.string(), samples: Samples });
export type HealthSeries = z.infer<typeof HealthSeries>;

/** One panel of one cluster over a time range (the cluster page). */
export const HealthPanel = z.object({
  id: HealthPanelId,
  title: z.string(),
  unit: HealthUnit,
  /** What the panel shows, its PromQL and the exporter it comes from. */
  help: z.optional(z.string()),
  series: z.array(HealthSeries),
  /** Thanos partial-response and PromQL notes, safe to show. */
  warnings: z.optional(z.array(z.string())),
  errors: z.array(PartialError),
});
export type HealthPanel = z.infer<typeof HealthPanel>;

export const LogLine = z.object({
  cluster: z.string(),
  namespace: z.string(),
  pod: z.optional(z.string()),
  container: z.optional(z.string()),
  timestamp: IsoTime,
  line: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;
