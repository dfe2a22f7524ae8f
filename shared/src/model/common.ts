import { z } from 'zod/mini';

// The schemas here and beside them use zod's functional API (`zod/mini`), so the web's
// bundle holds only the validators it uses. Issues are worded in English, as with `zod`.
z.config(z.locales.en());

/** A DNS-1123 label, the shape of Kubernetes object names, tenant ids and environments. */
export const Dns1123Label = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(63),
    z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lowercase letters, digits and "-", starting and ending alphanumeric'),
  );

/** A Kubernetes object name (DNS-1123 subdomain). */
export const ObjectName = z
  .string()
  .check(z.minLength(1), z.maxLength(253), z.regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-1123 subdomain'));

export const IsoTime = z.iso.datetime({ offset: true });

export const Labels = z.record(z.string(), z.string());

/** A Kubernetes-style status condition, as upstream objects report them. */
export const Condition = z.object({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.optional(z.string()),
  message: z.optional(z.string()),
  lastTransitionTime: z.optional(IsoTime),
});
export type Condition = z.infer<typeof Condition>;

/**
 * A fleet-wide answer never fails as a whole because one cluster or upstream did:
 * what could not be read is listed here, per cluster or per source.
 */
export const PartialError = z.object({
  source: z.string(),
  cluster: z.optional(z.string()),
  reason: z.string(),
});
export type PartialError = z.infer<typeof PartialError>;
