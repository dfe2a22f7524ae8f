import { z } from 'zod/mini';

import { IsoTime, PartialError } from './common.ts';

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

export const HealthPanelId = z.enum([
  'apiAvailability',
  'nodesReady',
  'podHealthRatio',
  'gitopsSync',
  'violations',
  'failedAuth',
  'cpu',
  'memory',
]);
export const Sample = z.tuple([z.number(), z.number()]);
export const HealthSeries = z.object({ cluster: z.string(), samples: z.array(Sample) });
export const HealthPanel = z.object({
  id: HealthPanelId,
  title: z.string(),
  unit: z.enum(['ratio', 'count', 'perSecond', 'bool']),
  series: z.array(HealthSeries),
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
