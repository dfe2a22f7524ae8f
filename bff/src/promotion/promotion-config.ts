import { z } from 'zod';

import { PromotionEventKind } from '@fleetdeck/shared';

/** Env vars carry booleans as text: only true/false, never "any non-empty string". */
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
/** A glob over stage (wave) or rollout names: `*` and `?` only (matched in linear time by shared/selectors/glob). */
const NameGlob = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9*?.-]+$/, 'a name glob: lowercase letters, digits, ".", "-", "*" and "?"');

/** A readiness check added by configuration (a PromQL template; see ReadinessCheckSpec in shared/). */
export const ExtraReadinessCheck = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  title: z.string().min(1).max(200),
  severity: z.enum(['blocking', 'advisory']).default('blocking'),
  /** Instant query aggregated `by (cluster)`; `$window` becomes the wave's window (e.g. 37m). */
  query: z.string().min(1).max(4096),
  op: z.enum(['<', '<=', '>', '>=', '==']),
  threshold: z.number(),
  /** Applies to waves whose name matches (default every wave) of rollouts whose name matches (default every rollout). */
  stages: NameGlob.default('*'),
  rollouts: NameGlob.default('*'),
});
export type ExtraReadinessCheck = z.infer<typeof ExtraReadinessCheck>;

/** A webhook that hears about promotion events of one tenant (or of every tenant: `*`, Platform Admins' channel). */
export const Webhook = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  url: z.url(),
  tenant: z.string().min(1).max(63).default('*'),
  /** `json`: the PromotionEvent as is; `slack`: a Slack-compatible `{ text, blocks }` payload. */
  format: z.enum(['json', 'slack']).default('json'),
  events: z.array(z.enum(PromotionEventKind.options)).default([...PromotionEventKind.options]),
  /** An env var holding a bearer token sent as Authorization (never the token itself in the config file). */
  tokenEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .optional(),
});
export type Webhook = z.infer<typeof Webhook>;

export const PromotionConfig = z
  .strictObject({
    /** The brief's successThreshold as a pod-healthy ratio, when the rollout's policy gives none. */
    successThreshold: z.coerce.number().min(0).max(1).default(0.95),
    /** Error rate (5xx share of API server requests) may rise by at most this much (absolute, 0..1) over the hour before the wave. */
    maxErrorRateIncrease: z.coerce.number().min(0).max(1).default(0.01),
    /** Container restarts per cluster during the wave may exceed the hour before's rate by at most this factor. */
    maxRestartIncreaseFactor: z.coerce.number().min(1).max(1000).default(2),
    /** Checks added to the defaults. */
    checks: z.array(ExtraReadinessCheck).default([]),
    failure: z
      .strictObject({
        /** Act on the failure threshold at all (pause, then roll back or offer it). */
        enabled: Flag.default(true),
        /** The default when a rollout says nothing (annotation `fleetdeck.dev/on-failure: pause|rollback`). */
        onFailure: z.enum(['rollback', 'pause']).default('rollback'),
      })
      .prefault({}),
    lease: z
      .strictObject({
        /** The hub namespace of the Lease that decides which replica acts on rules. */
        namespace: z.string().min(1).max(63).default('fleetdeck-system'),
        name: z.string().min(1).max(253).default('fleetdeck-promotion'),
        durationSeconds: z.coerce.number().int().min(5).max(300).default(15),
      })
      .prefault({}),
    notifications: z
      .strictObject({
        /** The dashboard's public URL, for the deep link in every message (default: from the OIDC redirect URL, else the listen address). */
        publicUrl: z.url().optional(),
        webhooks: z.array(Webhook).default([]),
        /** Attempts per delivery, with exponential back-off from `backoffSeconds`; then the dead-letter log. */
        attempts: z.coerce.number().int().min(1).max(20).default(5),
        backoffSeconds: z.coerce.number().min(0.01).max(600).default(2),
        timeoutSeconds: z.coerce.number().min(0.1).max(60).default(5),
      })
      .prefault({}),
    mfa: z
      .strictObject({
        /** `acr_values` sent on a step-up sign-in. */
        acrValues: z.string().min(1).max(200).optional(),
        /** An ID token whose `acr` is one of these counts as multi-factor (besides `amr` containing "mfa"). */
        acceptAcr: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
  })
  .prefault({});
export type PromotionConfig = z.infer<typeof PromotionConfig>;
