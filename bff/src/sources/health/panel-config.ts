import { z } from 'zod';

import { BUILTIN_HEALTH_PANEL_IDS, HealthAudience, HealthUnit } from '@fleetdeck/shared';

/** A PromQL duration such as 5m or 1h30m (what a range selector or subquery takes). */
const Duration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'a PromQL duration such as 5m or 1h');
/** A label or job name as PromQL writes it inside a string: no quote, backslash or control character. */
const Name = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  .regex(/^[^"\\\x00-\x1f]+$/, 'no quotes, backslashes or control characters');
/** Env vars carry booleans as text: only true/false, never "any non-empty string". */
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name');

/** A panel added by configuration: the same fields as the nine built in. */
export const ExtraPanel = z.strictObject({
  id: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,62}$/)
    .refine((id) => !(BUILTIN_HEALTH_PANEL_IDS as readonly string[]).includes(id), 'the nine built-in panels keep their ids'),
  title: z.string().min(1).max(120),
  unit: z.enum(HealthUnit.options),
  help: z.string().max(2000).default(''),
  source: z.string().min(1).max(120),
  /** One series per cluster: aggregate `by (cluster)`. The BFF limits it to each person's scope. */
  query: z.string().min(1).max(4096),
  worse: z.enum(['higher', 'lower']),
  audience: z.enum(HealthAudience.options).default('wholeCluster'),
});
export type ExtraPanel = z.infer<typeof ExtraPanel>;

/** Env vars carry the extra panels as JSON; the config file as a YAML list. */
const ExtraPanels = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? [] : (JSON.parse(v) as unknown)) : v),
  z.array(ExtraPanel).max(40),
);

/**
 * Health panel configuration (`health:` in the config file): the scrape job and label names
 * the built-in panels' PromQL uses, the windows they average over, and more panels. The
 * `cluster` and `namespace` labels are not here: the PromQL enforcer constrains exactly
 * those (access/promql CLUSTER_LABEL, NAMESPACE_LABEL).
 */
export const HealthConfig = z
  .strictObject({
    jobs: z
      .strictObject({
        /** The kube-apiservers' scrape job (the brief's name). */
        apiserver: Name.default('kubernetes-apiservers'),
      })
      .prefault({}),
    labels: z
      .strictObject({
        /** kube-state-metrics' pod phase and node condition labels. */
        phase: LabelName.default('phase'),
        condition: LabelName.default('condition'),
        status: LabelName.default('status'),
        /** Argo CD: `argocd_app_info{sync_status}`, `argocd_app_sync_total{phase}`. */
        syncStatus: LabelName.default('sync_status'),
        syncPhase: LabelName.default('phase'),
        /** kube-apiserver `authentication_attempts{result}`. */
        authResult: LabelName.default('result'),
        /** cAdvisor's container label (empty on the pod and root cgroups, left out so nothing counts twice). */
        container: LabelName.default('container'),
      })
      .prefault({}),
    /** The window of `rate()` / `increase()`: at least two scrape intervals. */
    rateWindow: Duration.default('5m'),
    /** How far back "last successful sync" looks, and how finely. */
    lastSyncLookback: Duration.default('1d'),
    lastSyncResolution: Duration.default('5m'),
    /** Points of all clusters together one panel may ask for; more clusters, coarser steps. */
    pointBudget: z.coerce.number().int().min(10_000).max(5_000_000).default(400_000),
    /** The scrape interval: no step is finer. */
    minStepSeconds: z.coerce.number().int().min(1).max(3600).default(15),
    /**
     * Read the built-in panels from the recorded series of deploy/prometheus/fleetdeck-recording-rules.yaml
     * (`cluster:fleetdeck_…`) for people who see whole clusters; namespace-limited people still
     * get the expressions over their namespaces (recorded series have no namespace).
     */
    recordingRules: Flag.default(false),
    /**
     * How long the panels' upstream answers are shared between people looking at the same range
     * (keyed by the enforced query, so per scope); 0 turns the cache off. About this many MiB at most.
     */
    cacheSeconds: z.coerce.number().int().min(0).max(300).default(15),
    cacheMegabytes: z.coerce.number().int().min(1).max(4096).default(64),
    extraPanels: ExtraPanels.default([]),
  })
  .prefault({});
export type HealthConfig = z.infer<typeof HealthConfig>;
export type HealthConfigInput = z.input<typeof HealthConfig>;

export const defaultHealthConfig = (): HealthConfig => HealthConfig.parse({});
